import DataLoader from 'dataloader';
import type { ZoomClient, ZoomSessionDetailsType } from '../zoom/client';
import { ZoomHttpError } from '../zoom/errors';
import { hasDotSegment, unusableSessionId } from '../zoom/session-id';
import type { WireSession, WireSessionDetails, WireSessionDetailsAnswer } from '../zoom/wire';
import type { ZoomCallObserver, ZoomCaller } from '../budget/zoom-caller';
import { CallCapReached } from './call-budget';
import { Session, toSession } from './session.type';
import { isWellFormedText } from '../well-formed-text';

/**
 * Zoom's details endpoint takes `type` = past, live or scheduled and documents no default
 * (docs/zoom-contract.md §2; the default is L at best). A session looked up by id has most
 * likely ended, so ask `past` first; a 404 there may be a session still running, so ask `live`.
 * Each type asked is one Zoom call: an unknown id costs two.
 */
export const DETAILS_TYPES_IN_ORDER: readonly ZoomSessionDetailsType[] = ['past', 'live'];

/** Zoom's ids are base64 of 16 bytes (24 characters); a longer string is no id and would only lengthen the URL. */
export const MAX_SESSION_ID_LENGTH = 256;

/** A live session by Zoom id from the webhook-fed state; undefined when the state cannot say (Zoom is asked instead). */
export type LiveSessionLookup = (id: string) => Promise<WireSession | undefined>;

/** `observer` hears of every attempt that reached Zoom. */
export type SessionDetailsSource = (id: string, type: ZoomSessionDetailsType, observer?: ZoomCallObserver) => Promise<WireSessionDetailsAnswer>;

/** Every details call goes out through the caller: breaker, rate governor, retries. */
export function zoomSessionDetails(client: ZoomClient, caller: ZoomCaller): SessionDetailsSource {
  return (id, type, observer) => {
    const unusable = unusableSessionId(id);
    return unusable ? Promise.reject(unusable) : caller.call('getSession', (onWire) => client.getSession(id, type, onWire), observer);
  };
}

/** Zoom's session ids are base64 text: one with a control character is none, and costs no call to learn so. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** An id Zoom could know; "", "." or ".." would turn the details path into the list's (or another endpoint's). */
export function isLookupableId(id: unknown): id is string {
  return typeof id === 'string' && id !== '' && id.length <= MAX_SESSION_ID_LENGTH && !hasDotSegment(id) && !CONTROL_CHARACTER.test(id) && isWellFormedText(id);
}

/**
 * The session with this id, or null when Zoom knows none under any type asked. The source spends
 * the request's calls for what it cannot answer from a cache, and throws CallCapReached past them.
 */
export async function findSession(source: SessionDetailsSource, id: string, observer?: ZoomCallObserver): Promise<WireSessionDetails | null> {
  if (!isLookupableId(id)) return null;
  for (const type of DETAILS_TYPES_IN_ORDER) {
    try {
      return (await source(id, type, observer)).session;
    } catch (error) {
      if (!(error instanceof ZoomHttpError && error.status === 404)) throw error;
    }
  }
  return null;
}

export type SessionLookupLoader = DataLoader<string, Session | null, string>;

export interface SessionLookupLoaderOptions {
  /** Details through the caches, spending the request's call limit (shared with its walks) on calls that reach Zoom. */
  readonly source: SessionDetailsSource;
  /** What a lookup past the cap resolves to instead (the GraphQL layer's error). */
  readonly capReached: (error: CallCapReached) => Error;
  /**
   * The webhook-fed state, asked first: a session it holds live is served from it with no Zoom call, with what
   * only the state knows (who is in it now), as `session(id, type: LIVE)` serves it.
   */
  readonly live?: LiveSessionLookup;
}

/**
 * Per request, like the page loader: repeated ids (an `_entities` list often repeats them) cost
 * one lookup each, and the cache never outlives the request. One value or Error per id, in order.
 */
export function createSessionLookupLoader(options: SessionLookupLoaderOptions): SessionLookupLoader {
  const { source, capReached, live } = options;
  const find = async (id: string): Promise<WireSession | WireSessionDetails | null> => {
    const known = live !== undefined && isLookupableId(id) ? await live(id) : undefined;
    return known ?? findSession(source, id);
  };
  return new DataLoader<string, Session | null, string>((ids) =>
    Promise.all(
      ids.map((id) =>
        find(id).then(
          (wire) => (wire === null ? null : toSession(wire)),
          (error: unknown) => (error instanceof CallCapReached ? capReached(error) : error instanceof Error ? error : new Error(String(error))),
        ),
      ),
    ),
  );
}
