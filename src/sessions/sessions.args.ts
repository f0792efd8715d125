import { DateResolver } from 'graphql-scalars';
import { ArgsType, Field, Int } from 'type-graphql';
import { badUserInput } from '../errors';
import { CursorPosition, decodeCursor, queryFingerprint } from '../pagination/cursor';
import { Day, dayFromMs, fitsOneZoomRange, historyStart } from '../zoom/calendar';
import { SessionType } from './session-type.enum';

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
    description: 'First day of the range (yyyy-mm-dd, UTC, inclusive). Zoom keeps the last six months: earlier days are rejected.',
  })
  from!: Date;

  @Field(() => DateResolver, {
    description: 'Last day of the range (yyyy-mm-dd, UTC, inclusive). Ranges longer than a month are read month by month, newest first.',
  })
  to!: Date;

  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_FIRST,
    description: 'How many sessions to return, from 0 to the gateway\'s maximum (300 unless configured otherwise).',
  })
  first!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Return the sessions after this cursor (an `endCursor` from the same query). Omit for the first page.',
  })
  after!: string | null;

  @Field(() => String, { nullable: true, description: 'Only sessions with this exact session key.' })
  sessionKey!: string | null;

  @Field(() => String, { nullable: true, description: 'Only sessions with this exact session name.' })
  sessionName!: string | null;
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
  return value;
}

function parseAfter(after: string | null, fingerprint: string, from: Day, to: Day, cursorKey: Buffer): CursorPosition | undefined {
  if (after === null || after === undefined) return undefined;
  const position = decodeCursor(after, cursorKey);
  if (position === 'malformed' || position === 'altered') {
    throw badUserInput('`after` is not a cursor issued by this gateway (it is malformed or was altered). Use an `endCursor` as returned, or omit `after`.', 'after');
  }
  if (position.query !== fingerprint) {
    throw badUserInput('`after` belongs to a different query: use it with the same `type`, `from`, `to`, `sessionKey` and `sessionName` it was issued for, or omit it to start again.', 'after');
  }
  if (position.windowFrom < from || position.windowTo > to || !fitsOneZoomRange(position.windowFrom, position.windowTo)) {
    throw badUserInput('`after` points outside this query\'s range.', 'after');
  }
  return position;
}

/** Checks every argument before any Zoom call; each failure is a BAD_USER_INPUT that names the problem. */
export function parseSessionsArgs(args: SessionsArgs, rules: SessionsArgsRules): SessionsQuery {
  const type = args.type ?? SessionType.LIVE;
  const from = dayFromMs(args.from.getTime());
  const to = dayFromMs(args.to.getTime());
  const first = args.first ?? DEFAULT_FIRST;
  if (from > to) throw badUserInput(`\`from\` (${from}) is after \`to\` (${to}).`, 'from');
  const earliest = historyStart(rules.today);
  if (from < earliest) {
    throw badUserInput(`\`from\` (${from}) is before ${earliest}: Zoom lists sessions of the last six months only.`, 'from');
  }
  if (!Number.isInteger(first) || first < 0 || first > rules.maxFirst) {
    throw badUserInput(`\`first\` must be between 0 and ${rules.maxFirst}; got ${first}.`, 'first');
  }
  const sessionKey = parseFilter(args.sessionKey, 'sessionKey');
  const sessionName = parseFilter(args.sessionName, 'sessionName');
  const fingerprint = queryFingerprint([type, from, to, sessionKey, sessionName]);
  const after = parseAfter(args.after, fingerprint, from, to, rules.cursorKey);
  return { type, from, to, first, sessionKey, sessionName, fingerprint, after };
}
