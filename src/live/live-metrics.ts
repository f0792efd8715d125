import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Metrics of webhooks, live state and subscriptions, on the gateway's registry. */
export class LiveMetrics {
  readonly webhooks: Counter<'outcome'>;
  readonly subscriptions: Gauge;
  readonly subscriptionConnections: Gauge;
  readonly droppedSubscribers: Counter;
  readonly reconciliations: Counter<'outcome'>;
  readonly deliverySeconds: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.webhooks = new Counter({
      name: 'zoom_webhooks_total',
      help: 'Zoom webhook requests by outcome: applied, duplicate, stale (older than what the state holds), ignored (kinds the graph does not carry), unsigned (signature or timestamp), validation (url_validation), kept (journalled until the shared state can take it; counted again as applied, duplicate or stale once it is), refused (a new session past the live-session cap), deferred (answered 503, Zoom sends it again: the journal was full, or, without a journal file, the shared state did not take it within 2 s)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.subscriptions = new Gauge({ name: 'graphql_subscriptions', help: 'GraphQL subscriptions open now', registers });
    this.subscriptionConnections = new Gauge({ name: 'graphql_subscription_connections', help: 'WebSocket connections open now', registers });
    this.droppedSubscribers = new Counter({ name: 'graphql_subscribers_dropped_total', help: 'Subscriber connections closed because they fell too far behind (their event buffer full for a second, or an event stream\'s unsent bytes over the bound) or stopped reading (an event stream that took no byte for HTTP_SEND_STALL_TIMEOUT_MS)', registers });
    this.reconciliations = new Counter({
      name: 'zoom_live_reconciliations_total',
      help: 'Reconciliations of the live state with Zoom\'s live list (ok; rebuilt: made a lost state whole; partial: the list was not read to its end; failed; lost: an instance found the state lost), and polls without webhooks, by outcome',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.deliverySeconds = new Histogram({
      name: 'live_event_fanout_seconds',
      help: 'From an event reaching this instance\'s bus to its being queued for every local subscriber',
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1],
      registers,
    });
  }
}
