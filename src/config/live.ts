/** Live sessions from Zoom's webhooks, and GraphQL subscriptions. */

import { sectionReader, type Env } from './parse';

export const LIVE_VARIABLES = [
  'ZOOM_WEBHOOK_SECRET_TOKEN', // the Secret Token of the Zoom app's event subscription; unset: live data is polled
  'ZOOM_LIVE_RECONCILE_SECONDS', // 300
  'ZOOM_LIVE_POLL_SECONDS', // 30
  'WEBHOOK_BODY_LIMIT_BYTES', // 64 KiB
  'WEBHOOK_JOURNAL_DIR', // unset: the journal is this process's memory, and what waits there is answered 503
  'SUBSCRIPTIONS_MAX_PER_CONNECTION', // 10
  'SUBSCRIPTIONS_MAX_PER_CLIENT', // 1000
  'SUBSCRIPTION_BUFFER_EVENTS', // 256
  'SUBSCRIPTION_KEEPALIVE_SECONDS', // 12
  'SUBSCRIPTIONS_MAX_CONNECTIONS', // 10000
] as const;

export interface LiveConfig {
  /** The Secret Token of the Zoom app's event subscription; unset: no webhook route, live data is polled. */
  readonly webhookSecretToken: string | undefined;
  /** With webhooks: how often the live state is reconciled with one walk of Zoom's live list. */
  readonly reconcileMs: number;
  /** Without webhooks: how often the live list is compared with the last one, while anyone subscribes. */
  readonly pollMs: number;
  readonly webhookBodyLimitBytes: number;
  /**
   * Where events acknowledged while the shared state is away are written before their 200, one
   * directory per instance; unset: they are held in memory, and lost if the process dies first.
   */
  readonly journalDir: string | undefined;
  readonly subscriptionsPerConnection: number;
  /** Per client (API key, JWT subject, or address when anonymous), across its connections. */
  readonly subscriptionsPerClient: number;
  /** Events a subscriber may fall behind before its connection is dropped. */
  readonly subscriberBufferEvents: number;
  readonly keepAliveMs: number;
  readonly maxConnections: number;
}

const SECOND = 1_000;

export function readLive(env: Env, problems: string[]): LiveConfig {
  const read = sectionReader<(typeof LIVE_VARIABLES)[number]>(env, problems);
  return {
    webhookSecretToken: read.optional('ZOOM_WEBHOOK_SECRET_TOKEN'),
    reconcileMs: read.int('ZOOM_LIVE_RECONCILE_SECONDS', 300, 1, 86_400) * SECOND,
    pollMs: read.int('ZOOM_LIVE_POLL_SECONDS', 30, 1, 3_600) * SECOND,
    webhookBodyLimitBytes: read.int('WEBHOOK_BODY_LIMIT_BYTES', 64 * 1024, 1024, 1024 * 1024),
    journalDir: read.optional('WEBHOOK_JOURNAL_DIR'),
    subscriptionsPerConnection: read.int('SUBSCRIPTIONS_MAX_PER_CONNECTION', 10, 1, 1_000),
    subscriptionsPerClient: read.int('SUBSCRIPTIONS_MAX_PER_CLIENT', 1_000, 1, 1_000_000),
    subscriberBufferEvents: read.int('SUBSCRIPTION_BUFFER_EVENTS', 256, 1, 100_000),
    keepAliveMs: read.int('SUBSCRIPTION_KEEPALIVE_SECONDS', 12, 1, 3_600) * SECOND,
    maxConnections: read.int('SUBSCRIPTIONS_MAX_CONNECTIONS', 10_000, 1, 1_000_000),
  };
}
