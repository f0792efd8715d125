import type { ZoomSessionType } from '../zoom/client';
import type { Session } from './session.type';

/** Which session, and which of Zoom's `type`s to ask for it: every call inside a session needs both (docs/zoom-contract.md §2: the default is `live`). */
export interface SessionRef {
  readonly id: string;
  readonly type: ZoomSessionType;
}

/** A listed session that has an end time has ended; Zoom lists a running one without (docs/zoom-contract.md §1). */
export function sessionRefOf(session: Pick<Session, 'id' | 'endTime'>): SessionRef {
  return { id: session.id, type: session.endTime === null ? 'live' : 'past' };
}

export interface InsideFreshness {
  /** Details, participants and QoS of an ended session no longer change. */
  readonly endedTtlMs: number;
  /** A live session's change by the second. */
  readonly liveTtlMs: number;
}

export function insideTtlMs(type: ZoomSessionType, policy: InsideFreshness): number {
  return type === 'past' ? policy.endedTtlMs : policy.liveTtlMs;
}

/** A stable store key for one answer about one session. */
export function insideKey(kind: string, session: SessionRef, ...parts: readonly (string | number)[]): string {
  return JSON.stringify([kind, session.type, session.id, ...parts]);
}
