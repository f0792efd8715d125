import { GraphQLError } from 'graphql';
import { badUserInput } from '../errors';
import { UserCursorPosition, decodeUserCursor, encodeUserCursors, userCursorScope } from '../pagination/user-cursor';
import { ZoomPageTokenError } from '../zoom/errors';
import { CallCapReached } from './call-budget';
import type { WireQosUser, WireSessionUser, WireUserPage } from '../zoom/wire-inside';
import type { SessionUserConnection } from './session-user-connection.type';
import { SessionQosPages, SessionUserPages, UserPageKey, pageOrRewalk } from './session-user-pages';
import { Participation, SessionUser, participationKey, participationOf, text, toSessionUser } from './session-user.type';
import type { SessionRef } from './session-ref';

/** Participants a `users` field returns when `first` is not given. */
export const DEFAULT_USERS_FIRST = 30;

/** Where a participant sits, for the fields that need its session again (its QoS, its global id). */
export interface ParticipantPlace {
  readonly session: SessionRef;
  /** participationKey: which QoS entry is this participant's. */
  readonly participation: string;
  readonly identity: Participation;
}

/** A participant of this session as the graph serves it, with its place. */
export function toSessionUserNode(session: SessionRef, wire: WireSessionUser, exposePersonalData: boolean): SessionUserNode {
  return { ...toSessionUser(wire, exposePersonalData), place: { session, participation: participationKey(wire), identity: participationOf(wire) } };
}

/** A participant as the connection serves it: the graph's fields, and where it came from. */
export type SessionUserNode = SessionUser & { readonly place?: ParticipantPlace };

export interface SessionUsersArgs {
  readonly first: number;
  readonly after?: string | null;
}

export interface SessionUsersDeps {
  readonly pages: SessionUserPages;
  /** The session's QoS list: its entries carry every participant field too (docs/zoom-contract.md §2). */
  readonly qosPages: SessionQosPages;
  /** Hands a participant's QoS entry, read with it, to the request's QoS loader: its `qos` then costs no walk. */
  readonly primeQos: (place: ParticipantPlace, wire: WireQosUser) => void;
  readonly cursorKey: Buffer;
  readonly maxFirst: number;
  readonly exposePersonalData: boolean;
}

interface Start {
  readonly index: number;
  readonly token: string;
  readonly offset: number;
}

/**
 * What can be told of `first` and `after` without their session: the operation is checked so before it runs
 * (query-limits/connection-arguments.ts), since the session above a `users` field may cost a Zoom call to read.
 */
export function sessionUsersArgsProblem(args: SessionUsersArgs, key: Buffer, maxFirst: number): GraphQLError | UserCursorPosition | undefined {
  const { first } = args;
  if (!Number.isInteger(first) || first < 0 || first > maxFirst) return badUserInput(`\`first\` must be between 0 and ${maxFirst}; got ${first}.`, 'first');
  if (args.after === undefined || args.after === null) return undefined;
  const position = decodeUserCursor(args.after, key);
  if (typeof position === 'string') {
    return badUserInput('`after` is not a participant cursor issued by this gateway (it is malformed or was altered). Use an `endCursor` as returned, or omit `after`.', 'after');
  }
  return position;
}

/** Checks `first` and `after` before any Zoom call; a cursor of another session or type is refused. */
export function parseSessionUsersArgs(session: SessionRef, args: SessionUsersArgs, key: Buffer, maxFirst: number): { first: number; after: UserCursorPosition | undefined } {
  const position = sessionUsersArgsProblem(args, key, maxFirst);
  if (position instanceof GraphQLError) throw position;
  const { first } = args;
  if (position === undefined) return { first, after: undefined };
  if (position.scope !== userCursorScope(session.id, session.type)) {
    throw badUserInput('`after` belongs to the participants of another session: use it on the session it was issued for, or omit it.', 'after');
  }
  return { first, after: position };
}

function startAfter(position: UserCursorPosition): Start | 'end' {
  if (position.nextPageToken === undefined) return { index: position.pageIndex, token: position.pageToken, offset: position.offset + 1 };
  return position.nextPageToken === '' ? 'end' : { index: position.pageIndex + 1, token: position.nextPageToken, offset: 0 };
}

/**
 * Zoom's token behind a cursor has expired (15 minutes): walk the list again from its start, with
 * fresh tokens, to the cursor's page, and continue after the participant it names: at its offset
 * when the same participant is still there, else after its first entry in the pages read.
 */
async function recover(session: SessionRef, after: UserCursorPosition, pages: ListPages): Promise<Start | 'end'> {
  let token = '';
  for (let index = 0; ; index += 1) {
    const page = await pages({ session, index, token, fresh: true });
    if (index === after.pageIndex) {
      const at = text(page.users[after.offset]?.id) === after.userId ? after.offset : page.users.findIndex((user) => text(user.id) === after.userId);
      if (at < 0) break;
      if (at + 1 < page.users.length) return { index, token, offset: at + 1 };
      return page.nextPageToken === '' ? 'end' : { index: index + 1, token: page.nextPageToken, offset: 0 };
    }
    if (page.nextPageToken === '') return 'end';
    token = page.nextPageToken;
  }
  throw new ZoomPageTokenError(400, 300, 'The participant behind this cursor is no longer where it was in the list.', undefined);
}

/** Either of the session's two lists: the participants list, or the QoS list whose entries are participants too. */
type ListPages = (key: UserPageKey) => Promise<WireUserPage<WireSessionUser | WireQosUser>>;

interface Taken {
  readonly wire: WireSessionUser | WireQosUser;
  readonly position: UserCursorPosition;
}

/** Fills `taken` from `start` in the list `pages` reads; answers whether more participants follow. */
async function walk(session: SessionRef, from: Start, after: UserCursorPosition | undefined, first: number, taken: Taken[], pages: ListPages, place: Pick<UserCursorPosition, 'scope' | 'list'>): Promise<boolean> {
  let start: Start | 'end' = from;
  let hasNextPage = false;
  let page: WireUserPage<WireSessionUser | WireQosUser> | undefined;
  try {
    page = await pages({ session, index: start.index, token: start.token });
  } catch (error) {
    if (!(error instanceof ZoomPageTokenError) || after === undefined) throw error;
    start = await recover(session, after, pages);
    if (start !== 'end') page = await pages({ session, index: start.index, token: start.token });
  }
  if (page !== undefined && start !== 'end') {
    let { index, token, offset } = start;
    for (;;) {
      for (; offset < page.users.length && taken.length < first; offset += 1) {
        const wire = page.users[offset];
        const position = { ...place, pageIndex: index, pageToken: token, offset, userId: text(wire.id) ?? '' };
        taken.push({ wire, position: offset === page.users.length - 1 ? { ...position, nextPageToken: page.nextPageToken } : position });
      }
      if (offset < page.users.length) {
        hasNextPage = true;
        break;
      }
      if (page.nextPageToken === '') break;
      if (taken.length >= first) {
        hasNextPage = true;
        break;
      }
      index += 1;
      token = page.nextPageToken;
      offset = 0;
      page = await pageOrRewalk(pages, { session, index, token });
    }
  }
  return hasNextPage;
}

/**
 * One page of participants: from the start or after a cursor, across Zoom pages as `first` needs,
 * one load per Zoom page (shared by every field that asks for it in this request).
 * When the query asks their QoS too (`withQos`), the page is read from the session's QoS list, whose
 * entries are the same participations with their samples: one walk serves both, where reading the
 * participants list and then the QoS list would cost two. A cursor stays in the list it was issued
 * in, so a page and the next always come from one list, whatever the next query asks.
 */
export async function sessionUsersConnection(session: SessionRef, args: SessionUsersArgs, deps: SessionUsersDeps, withQos = false): Promise<SessionUserConnection> {
  const { first, after } = parseSessionUsersArgs(session, args, deps.cursorKey, deps.maxFirst);
  const scope = userCursorScope(session.id, session.type);
  const list = after === undefined ? (withQos ? 'qos' : undefined) : after.list;
  const pages: ListPages = list === 'qos' ? deps.qosPages : deps.pages;
  let start = after === undefined ? ({ index: 0, token: '', offset: 0 } as Start | 'end') : startAfter(after);
  const taken: Taken[] = [];
  let hasNextPage = false;
  if (first > 0 && start !== 'end') {
    try {
      hasNextPage = await walk(session, start, after, first, taken, pages, list === 'qos' ? { scope, list } : { scope });
    } catch (error) {
      // The request spent its Heavy calls: what was gathered is served, and the rest is a next page.
      if (!(error instanceof CallCapReached)) throw error;
      hasNextPage = true;
    }
  }
  const cursors = encodeUserCursors(taken.map((entry) => entry.position), deps.cursorKey);
  const edges = taken.map((entry, position) => {
    const node = toSessionUserNode(session, entry.wire, deps.exposePersonalData);
    if (list === 'qos' && node.place !== undefined) deps.primeQos(node.place, entry.wire);
    return { cursor: cursors[position], node };
  });
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage,
      hasPreviousPage: after !== undefined,
      startCursor: cursors[0] ?? null,
      endCursor: cursors[cursors.length - 1] ?? null,
    },
  };
}
