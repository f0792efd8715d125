import DataLoader from 'dataloader';
import type { ZoomSessionDetailsType } from '../zoom/client';
import { ZoomHttpError } from '../zoom/errors';
import { WireSessionDetails, WireSessionDetailsAnswer, isTimestamp } from '../zoom/wire';
import type { CallBudget } from './call-budget';
import type { SharedCache } from '../cache/shared-cache';
import { InsideFreshness, insideKey, insideTtlMs } from './session-ref';
import type { MissingSessions } from './missing-sessions';
import type { LiveSessionLookup, SessionDetailsSource } from './session-lookup';
import { Session, toSession } from './session.type';

export interface DetailsKey {
  readonly id: string;
  readonly type: ZoomSessionDetailsType;
}

/** Per request: one details call per session and type, whoever asks (a details field, `session(id)`, an entity lookup). */
export type SessionDetailsLoader = DataLoader<DetailsKey, WireSessionDetailsAnswer, string>;

/** `passcode` is a secret (docs/zoom-contract.md §2): it is dropped before anything keeps or serves the answer. */
export function withoutSecrets(session: WireSessionDetails): WireSessionDetails {
  const { passcode: _secret, ...kept } = session;
  return kept;
}

/** Details through the shared cache: an ended session's for a day (by default), a live one's for seconds. */
export function cachedSessionDetails(source: SessionDetailsSource, cache: SharedCache<WireSessionDetailsAnswer>, policy: InsideFreshness, missing?: MissingSessions) {
  return async (key: DetailsKey, budget: CallBudget): Promise<WireSessionDetailsAnswer> => {
    const cacheKey = insideKey('details', { id: key.id, type: key.type === 'past' ? 'past' : 'live' }, key.type);
    const known = missing?.get(cacheKey);
    // Zoom's own answer again, at no Zoom call and no quota.
    if (known !== undefined) throw known;
    try {
      return await cache.load(
        cacheKey,
        async (observer) => {
          const answer = await source(key.id, key.type, observer);
          return { session: withoutSecrets(answer.session), trackingId: answer.trackingId };
        },
        budget,
        {
          ttlMs: (answer) => insideTtlMs(answer.session.end_time ? 'past' : 'live', policy),
          bytes: (answer) => JSON.stringify(answer).length,
        },
      );
    } catch (error) {
      if (missing !== undefined && error instanceof ZoomHttpError && isUnknownSession(error)) missing.remember(cacheKey, error);
      throw error;
    }
  };
}

export function createSessionDetailsLoader(load: (key: DetailsKey, budget: CallBudget) => Promise<WireSessionDetailsAnswer>, budget: CallBudget): SessionDetailsLoader {
  return new DataLoader<DetailsKey, WireSessionDetailsAnswer, string>(
    (keys) => Promise.all(keys.map((key) => load(key, budget).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))))),
    { cacheKeyFn: (key) => `${key.type} ${key.id}` },
  );
}

/** Zoom's 3001 "Session does not exist" comes as a 404 (docs/zoom-contract.md §2, H). */
export function isUnknownSession(error: unknown): boolean {
  return error instanceof ZoomHttpError && error.status === 404;
}

/** The details of a session, or null when Zoom does not know it under this type. */
export async function detailsOrNull(loader: SessionDetailsLoader, key: DetailsKey): Promise<WireSessionDetails | null> {
  try {
    return (await loader.load(key)).session;
  } catch (error) {
    if (isUnknownSession(error)) return null;
    throw error;
  }
}

/** What details add to a listed session, as the graph shows it. */
export interface SessionDetailFields {
  /** An 11-digit number: beyond GraphQL's Int, so a string (docs/zoom-contract.md §2, H). */
  readonly sessionNumber: string | null;
  readonly createdAt: Date | null;
  readonly totalMinutes: number | null;
}

export function toSessionDetailFields(wire: WireSessionDetails): SessionDetailFields {
  const number = wire.session_number;
  const sessionNumber = typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? String(number) : typeof number === 'string' && /^\d{1,20}$/.test(number) ? number : null;
  const created = typeof wire.created_at === 'string' && isTimestamp(wire.created_at) ? new Date(wire.created_at) : null;
  const minutes = wire.total_minutes;
  return { sessionNumber, createdAt: created, totalMinutes: typeof minutes === 'number' && Number.isSafeInteger(minutes) && minutes >= 0 && minutes <= 2 ** 31 - 1 ? minutes : null };
}

/**
 * `session(id, type)`: a LIVE one from the live state when it holds it (no Zoom call), otherwise
 * Zoom's details for that type, once per request whoever else asks; null when Zoom knows none.
 */
export async function sessionOfType(id: string, type: ZoomSessionDetailsType, details: SessionDetailsLoader, live: LiveSessionLookup): Promise<Session | null> {
  if (type === 'live') {
    const known = await live(id);
    if (known !== undefined) return toSession(known);
  }
  const wire = await detailsOrNull(details, { id, type });
  return wire === null ? null : toSession(wire);
}
