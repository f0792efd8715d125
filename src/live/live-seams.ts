import type { LiveEventBus } from './event-bus';
import type { LiveGeneration } from './live-generation';
import type { LiveState } from './live-state';
import type { ReconcileLease } from './reconcile-lease';
import type { WebhookDedup } from './webhook-dedup';

/** The live feed's seams: memory or Redis, chosen by src/seams.ts; the feed never knows which. */
export interface LiveSeams {
  readonly state: LiveState;
  readonly dedup: WebhookDedup;
  readonly bus: LiveEventBus;
  /** The state's mark of being whole, in the state's own namespace so it is lost with it. */
  readonly generation: LiveGeneration;
  /** One reconciler per account, whatever the number of instances. */
  readonly lease: ReconcileLease;
}
