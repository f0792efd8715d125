import type { LiveEventBus } from './event-bus';
import type { LiveState } from './live-state';
import type { WebhookDedup } from './webhook-dedup';

/** The live feed's seams: memory or Redis, chosen by src/seams.ts; the feed never knows which. */
export interface LiveSeams {
  readonly state: LiveState;
  readonly dedup: WebhookDedup;
  readonly bus: LiveEventBus;
}
