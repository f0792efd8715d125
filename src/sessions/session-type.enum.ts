import { registerEnumType } from 'type-graphql';

/** The GraphQL values are Zoom's own `type` values, so no mapping stands between them. */
export enum SessionType {
  LIVE = 'live',
  PAST = 'past',
}

registerEnumType(SessionType, {
  name: 'SessionType',
  description: 'Which sessions Zoom lists: those running now, or those that have ended.',
  valuesConfig: {
    LIVE: { description: 'Sessions in progress now (Zoom\'s default when no type is given).' },
    PAST: { description: 'Sessions that have ended.' },
  },
});
