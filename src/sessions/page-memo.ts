import type { WireSession } from '../zoom/wire';
import { Session, toSession } from './session.type';

/**
 * What is worked out from a Zoom page once and shared by every request served from it while
 * the page cache holds it: its sessions in the graph's shape and, per query, their cursors
 * (signing and mapping were among the bench's hot spots). It hangs on the page's sessions array
 * under a symbol, living and dying with the page: kept in a WeakMap instead, every page became an
 * ephemeron that young-generation GC could not free, and the cold walk spent twice the time in
 * GC that plain graphql-js did.
 */
export interface PageMemo {
  readonly sessions: (Session | undefined)[];
  /** Cursors by query fingerprint, then by offset in the page. */
  readonly cursors: Map<string, (string | undefined)[]>;
}

/** Distinct queries over one page whose cursors are kept; beyond, cursors are signed afresh. */
export const CURSOR_QUERIES_KEPT_PER_PAGE = 8;

const MEMO = Symbol('page memo');

type MemoizedPage = readonly WireSession[] & { [MEMO]?: PageMemo };

export function memoOf(page: readonly WireSession[]): PageMemo {
  return ((page as MemoizedPage)[MEMO] ??= { sessions: [], cursors: new Map() });
}

export function sessionAt(memo: PageMemo, page: readonly WireSession[], offset: number): Session {
  return (memo.sessions[offset] ??= toSession(page[offset]));
}

/** The page's cursor slots for a query, or undefined when the page keeps no more queries. */
export function cursorSlots(memo: PageMemo, fingerprint: string): (string | undefined)[] | undefined {
  let slots = memo.cursors.get(fingerprint);
  if (!slots && memo.cursors.size < CURSOR_QUERIES_KEPT_PER_PAGE) memo.cursors.set(fingerprint, (slots = []));
  return slots;
}
