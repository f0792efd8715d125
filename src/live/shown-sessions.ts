import type { LiveChange } from './live-change';
import { MAX_TRACKED_SESSIONS } from './live-state';
import { SessionEventType } from './session-event-type.enum';

/** A set that keeps its newest MAX_TRACKED_SESSIONS members, oldest forgotten first. */
class RecentSet {
  private readonly members = new Set<string>();

  has(id: string): boolean {
    return this.members.has(id);
  }

  add(id: string): void {
    this.members.delete(id);
    this.members.add(id);
    if (this.members.size > MAX_TRACKED_SESSIONS) this.members.delete(this.members.values().next().value as string);
  }

  delete(id: string): void {
    this.members.delete(id);
  }
}

/**
 * What this instance's subscribers were shown of each session's life: the sessions whose start
 * they saw and not the end, and those whose end they saw and no start since. A reconciliation
 * shows neither again (a rebuilt or restored state finds them anew).
 */
export class ShownSessions {
  private readonly started = new RecentSet();
  private readonly ended = new RecentSet();

  /** Subscribers saw this session start, and not end. */
  startShown(id: string): boolean {
    return this.started.has(id);
  }

  /** Subscribers saw this session end, and not start again. */
  endShown(id: string): boolean {
    return this.ended.has(id);
  }

  /** Live when this instance started beside a whole state: shown already, by whoever took its start. */
  live(id: string): void {
    this.started.add(id);
  }

  /** A change reached this instance's subscribers. */
  delivered(change: LiveChange): void {
    if (change.type === SessionEventType.SESSION_STARTED) {
      this.started.add(change.sessionId);
      this.ended.delete(change.sessionId);
    } else if (change.type === SessionEventType.SESSION_ENDED) {
      this.started.delete(change.sessionId);
      this.ended.add(change.sessionId);
    }
  }
}
