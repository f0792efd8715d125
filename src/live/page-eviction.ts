import type { PageStaleMarks } from '../sessions/page-stale-marks';
import type { LiveEventBus } from './event-bus';
import { SessionEventType } from './session-event-type.enum';

/** The events that move a session between Zoom's lists: after them, a cached list may lack it or still hold it. */
const LIST_CHANGES: ReadonlySet<SessionEventType> = new Set([SessionEventType.SESSION_STARTED, SessionEventType.SESSION_ENDED]);

/**
 * Marks the pages a start or an end makes stale, on this instance, for every change heard on the
 * bus (this instance's own and every other's): after `session.ended` leaves the live state, a
 * cached PAST page of its day is read from Zoom again, so the session is never in neither list.
 * Returns the unsubscribe.
 */
export function evictPagesOnListChanges(bus: LiveEventBus, marks: PageStaleMarks): () => void {
  return bus.subscribe((change) => {
    if (change.session !== null && LIST_CHANGES.has(change.type)) marks.markSession(change.session);
  });
}
