import type { LiveSessionLookup } from '../sessions/session-lookup';
import type { LiveFeed } from './live-feed';
import { LiveSessionRecord, toWireSession } from './live-state';

/**
 * `session(id, type: LIVE)` from the webhook-fed state while it serves: the state holds every
 * live session Zoom listed or announced, so a lookup of one costs no Zoom call. A session the
 * state does not hold is still asked of Zoom (its webhook may be on the way), and so is every
 * lookup while the state is not whole.
 */
export function liveSessionLookup(feed: LiveFeed): LiveSessionLookup {
  // One index per snapshot of the state (read at most once a second), not a scan per lookup.
  const indexes = new WeakMap<LiveSessionRecord[], Map<string, LiveSessionRecord>>();
  return async (id) => {
    if (!feed.servesLive()) return undefined;
    let records: LiveSessionRecord[];
    try {
      records = await feed.liveSessions();
    } catch {
      return undefined;
    }
    let index = indexes.get(records);
    if (index === undefined) {
      index = new Map(records.map((record) => [record.id, record]));
      indexes.set(records, index);
    }
    const record = index.get(id);
    return record === undefined ? undefined : toWireSession(record);
  };
}
