import { makeVar } from '@apollo/client';
import type { Staleness } from './staleness';

/** The staleness of the last answer per operation name, for the banner of the page that asked. */
export const lastAnswerStaleness = makeVar<Readonly<Record<string, Staleness>>>({});
