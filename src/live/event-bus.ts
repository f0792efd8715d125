import type { LiveChange } from './live-change';

/** Carries changes to the subscribers of every instance. */
export interface LiveEventBus {
  /** Never throws when wrapped by the fallback (event-bus.fallback.ts); the Redis bus alone does. */
  publish(change: LiveChange): Promise<void>;
  /** The listener gets every change published on any instance, this one's included; returns the unsubscribe. */
  subscribe(listener: (change: LiveChange) => void): () => void;
  close(): Promise<void>;
}
