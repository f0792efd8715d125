import type { WireSession } from '../zoom/wire';
import type { LiveParticipant } from './live-state';
import type { SessionEventType } from './session-event-type.enum';

/** One event for subscribers, as it travels between instances: plain JSON. */
export interface LiveChange {
  readonly type: SessionEventType;
  /** Epoch ms: Zoom's `event_ts`, or when reconciliation or polling noticed the change. */
  readonly occurredAt: number;
  readonly sessionId: string;
  /** The session after the change, in Zoom's list shape. */
  readonly session: WireSession | null;
  readonly user: LiveParticipant | null;
  /** The W3C `traceparent` of the webhook that caused it, when traces are on: every instance's delivery continues that trace. */
  readonly traceparent?: string;
}
