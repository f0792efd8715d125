import type { WireSession } from '../zoom/wire';
import type { LiveEvent } from './live-event';
import type { ApplyOutcome, LiveParticipant, LiveSessionRecord, LiveState } from './live-state';
import { sharedOr } from '../redis/shared-or';

/**
 * A shared live state whose failed writes never throw at the webhook path: an event the store
 * could not take comes back `failed`, not applied, and the caller keeps it (the intake's journal)
 * until the store takes it: an event acknowledged to Zoom is never dropped, nor shown to
 * subscribers before it is applied. Reads still throw: their callers answer from Zoom instead,
 * which this store cannot do.
 */
export class FallbackLiveState implements LiveState {
  constructor(
    private readonly shared: LiveState,
    /** Told of each write the shared state failed (for the fallback metric). */
    private readonly onFallback: (error: unknown) => void,
  ) {}

  apply(event: LiveEvent, writer?: string): Promise<ApplyOutcome> {
    return sharedOr(() => this.shared.apply(event, writer), this.onFallback, () => ({ applied: false, session: null, failed: true }));
  }

  markListed(session: WireSession, atMs: number): Promise<ApplyOutcome> {
    return this.shared.markListed(session, atMs);
  }

  markMissing(sessionId: string, atMs: number): Promise<ApplyOutcome> {
    return this.shared.markMissing(sessionId, atMs);
  }

  liveSessions(): Promise<LiveSessionRecord[]> {
    return this.shared.liveSessions();
  }

  session(sessionId: string): Promise<LiveSessionRecord | undefined> {
    return this.shared.session(sessionId);
  }

  participants(sessionId: string): Promise<LiveParticipant[]> {
    return this.shared.participants(sessionId);
  }

  lostWrites(): Promise<boolean> {
    return this.shared.lostWrites();
  }

  close(): Promise<void> {
    return this.shared.close();
  }
}
