import { DateResolver } from 'graphql-scalars';
import { ArgsType, Field, Int } from 'type-graphql';
import { badUserInput } from '../errors';
import { CursorPosition, decodeCursor, queryFingerprint } from '../pagination/cursor';
import { Day, ZOOM_HISTORY_MONTHS, dayFromMs, fitsOneZoomRange, historyStart } from '../time/calendar';
import { Cost } from './cost.directives';
import { SessionType } from './session-type.enum';
import { GivenRange, sessionsRange } from './sessions-range';

/** Longer filters are not session keys or names; they would only lengthen the Zoom URL. */
export const MAX_FILTER_LENGTH = 256;
export const DEFAULT_FIRST = 30;

@ArgsType()
export class SessionsArgs {
  @Field(() => SessionType, {
    nullable: true,
    defaultValue: SessionType.LIVE,
    description: 'LIVE (default, as in Zoom) for sessions running now, PAST for sessions that have ended.',
  })
  type!: SessionType | null;

  @Field(() => DateResolver, {
    nullable: true,
    description:
      'First day of the range (yyyy-mm-dd, UTC, inclusive). Zoom keeps the last six months: earlier days are rejected. ' +
      'Omitted: the first day of the one-month window that ends at `to`, the longest range Zoom answers in one call ' +
      '(for `to` 2026-11-27 that is 2026-10-28; for the last day of a month, the first of that month).',
  })
  // For a router reading the directives alone: a `from` may stretch the range over Zoom's whole history, a month window more per month.
  @Cost(ZOOM_HISTORY_MONTHS)
  from?: Date | null;

  @Field(() => DateResolver, {
    nullable: true,
    description:
      'Last day of the range (yyyy-mm-dd, UTC, inclusive). Ranges longer than a month are read month by month, newest first. ' +
      'Omitted: today (UTC). With neither `from` nor `to`, LIVE lists the sessions running now and PAST those of the last month.',
  })
  to?: Date | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_FIRST,
    description: 'How many sessions to return, from 0 to the gateway\'s maximum (300 unless configured otherwise).',
  })
  first!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Return the sessions after this cursor (an `endCursor` from the same query). Omit for the first page. ' +
      'A cursor keeps the range it was issued for: continuing a query that left out `from` or `to` reads the same days on a later day too.',
  })
  after!: string | null;

  @Field(() => String, { nullable: true, description: 'Only sessions with this exact session key.' }) sessionKey!: string | null;

  @Field(() => String, { nullable: true, description: 'Only sessions with this exact session name.' }) sessionName!: string | null;
}

/** What the domain needs from the arguments, checked. */
export interface SessionsQuery {
  readonly type: SessionType;
  readonly from: Day;
  readonly to: Day;
  readonly first: number;
  readonly sessionKey?: string;
  readonly sessionName?: string;
  /** Binds cursors to this query's type, range and filters. */
  readonly fingerprint: string;
  readonly after?: CursorPosition;
}

export interface SessionsArgsRules {
  readonly today: Day;
  readonly maxFirst: number;
  readonly cursorKey: Buffer;
}

function parseFilter(value: string | null, argument: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value === '') throw badUserInput(`\`${argument}\` must not be empty; omit it to list every session.`, argument);
  if (value.length > MAX_FILTER_LENGTH) {
    throw badUserInput(`\`${argument}\` is longer than ${MAX_FILTER_LENGTH} characters.`, argument);
  }
  // No session's name or key holds one: refused before it costs a List sessions call.
  if (/[\u0000-\u001f\u007f]/.test(value)) throw badUserInput(`\`${argument}\` holds a control character (such as a line break or NUL).`, argument);
  return value;
}

/** The cursor in `after`, if it is one this gateway issued for this query; its range is checked once the range is known. */
function decodeAfter(after: string | null | undefined, fingerprint: string, cursorKey: Buffer): CursorPosition | undefined {
  if (after === null || after === undefined) return undefined;
  const position = decodeCursor(after, cursorKey);
  if (position === 'malformed' || position === 'altered') {
    throw badUserInput('`after` is not a cursor issued by this gateway (it is malformed or was altered). Use an `endCursor` as returned, or omit `after`.', 'after');
  }
  if (position.query !== fingerprint) {
    throw badUserInput('`after` belongs to a different query: use it with the same `type`, `from`, `to`, `sessionKey` and `sessionName` it was issued for, or omit it to start again.', 'after');
  }
  return position;
}

function checkAfterRange(position: CursorPosition | undefined, from: Day, to: Day): void {
  if (position === undefined) return;
  if (position.windowFrom < from || position.windowTo > to || !fitsOneZoomRange(position.windowFrom, position.windowTo)) {
    throw badUserInput('`after` points outside this query\'s range.', 'after');
  }
}

function givenDay(date: Date | null | undefined): Day | undefined {
  return date === null || date === undefined ? undefined : dayFromMs(date.getTime());
}

interface Filters {
  readonly sessionKey?: string;
  readonly sessionName?: string;
}

function parseFilters(args: SessionsArgs): Filters {
  return { sessionKey: parseFilter(args.sessionKey, 'sessionKey'), sessionName: parseFilter(args.sessionName, 'sessionName') };
}

function checkRange(from: Day, to: Day, given: GivenRange, today: Day, after: CursorPosition | undefined): void {
  if (from > to) throw badUserInput(`\`from\` (${from}) is after \`to\` (${to}${given.to === undefined ? ', today, as `to` was left out' : ''}).`, 'from');
  const earliest = historyStart(today);
  if (from >= earliest) return;
  if (given.from === undefined && after !== undefined) {
    throw badUserInput(`\`after\` continues a range that starts on ${from}, before ${earliest}: Zoom lists sessions of the last six months only. Omit \`after\` to start again.`, 'after');
  }
  throw badUserInput(`\`from\` (${from}) is before ${earliest}: Zoom lists sessions of the last six months only.`, 'from');
}

function checkFirst(first: number, maxFirst: number): void {
  if (!Number.isInteger(first) || first < 0 || first > maxFirst) {
    throw badUserInput(`\`first\` must be between 0 and ${maxFirst}; got ${first}.`, 'first');
  }
}

/** Checks every argument before any Zoom call; each failure is a BAD_USER_INPUT that names the problem. */
export function parseSessionsArgs(args: SessionsArgs, rules: SessionsArgsRules): SessionsQuery {
  const type = args.type ?? SessionType.LIVE;
  const given: GivenRange = { from: givenDay(args.from), to: givenDay(args.to) };
  const first = args.first ?? DEFAULT_FIRST;
  // A bound left out is fingerprinted as left out (null), not as the day it stands for today:
  // the cursor must not turn into another query's at midnight.
  const fingerprintOf = (filters: Filters) => queryFingerprint([type, given.from, given.to, filters.sessionKey, filters.sessionName]);
  if (given.from !== undefined && given.to !== undefined) {
    const { from, to } = given;
    checkRange(from, to, given, rules.today, undefined);
    checkFirst(first, rules.maxFirst);
    const filters = parseFilters(args);
    const fingerprint = fingerprintOf(filters);
    const after = decodeAfter(args.after, fingerprint, rules.cursorKey);
    checkAfterRange(after, from, to);
    return { type, from, to, first, ...filters, fingerprint, after };
  }
  // A bound left out comes from the cursor when there is one, so the cursor is read first.
  const filters = parseFilters(args);
  const fingerprint = fingerprintOf(filters);
  const after = decodeAfter(args.after, fingerprint, rules.cursorKey);
  const { from, to } = sessionsRange(given, rules.today, after && { from: after.windowFrom, to: after.windowTo });
  checkRange(from, to, given, rules.today, after);
  checkFirst(first, rules.maxFirst);
  checkAfterRange(after, from, to);
  return { type, from, to, first, ...filters, fingerprint, after };
}
