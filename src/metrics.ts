import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's in-process metrics, one registry per gateway (so tests and several instances
 * in one process do not mix); the ops work exposes `registry` at /metrics.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly zoomCalls = new Counter({
    name: 'zoom_calls_total',
    help: 'Zoom API attempts by endpoint, HTTP status (0 when none) and outcome',
    labelNames: ['endpoint', 'status', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly zoomCallSeconds = new Histogram({
    name: 'zoom_call_duration_seconds',
    help: 'Zoom API attempt latency',
    labelNames: ['endpoint'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });

  readonly zoomRetries = new Counter({
    name: 'zoom_retries_total',
    help: 'Zoom API retries by endpoint and reason',
    labelNames: ['endpoint', 'reason'] as const,
    registers: [this.registry],
  });

  readonly zoomRetriesDenied = new Counter({
    name: 'zoom_retries_denied_total',
    help: 'Retries not made because the retry budget was spent',
    labelNames: ['endpoint'] as const,
    registers: [this.registry],
  });

  readonly pageCache = new Counter({
    name: 'zoom_page_cache_total',
    help: 'Zoom page look-ups: hit (served from cache), shared (joined a call in flight), miss (called Zoom)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly governorWaitSeconds = new Histogram({
    name: 'zoom_rate_governor_wait_seconds',
    help: 'Time Zoom calls waited in the rate governor queue',
    labelNames: ['label'] as const,
    buckets: [0, 0.1, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });

  readonly governorRejections = new Counter({
    name: 'zoom_rate_governor_rejections_total',
    help: 'Zoom calls refused by the rate governor (window spent, queue too long, paused by a Zoom 429, daily cap spent)',
    labelNames: ['label', 'reason'] as const,
    registers: [this.registry],
  });

  readonly zoomCallsNotSent = new Counter({
    name: 'zoom_calls_not_sent_total',
    help: 'Zoom calls given up before they reached Zoom: in_flight_cap (every call slot busy) or no_socket (no socket came free)',
    labelNames: ['endpoint', 'reason'] as const,
    registers: [this.registry],
  });

  readonly breakerState = new Gauge({
    name: 'zoom_circuit_breaker_state',
    help: 'Zoom circuit breaker: 0 closed, 1 half-open, 2 open',
    registers: [this.registry],
  });

  readonly callCapReached = new Counter({
    name: 'gateway_request_zoom_call_cap_reached_total',
    help: 'GraphQL fields that stopped early because their request spent its Zoom call cap',
    registers: [this.registry],
  });

  readonly cursorRecoveries = new Counter({
    name: 'gateway_cursor_recoveries_total',
    help: 'Cursors whose Zoom token had expired: recovered by re-walking the window, or answered CURSOR_EXPIRED',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly graphqlRequests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL operations by operation name and outcome (ok, or the first error code)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly graphqlSeconds = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL operation latency, from request to response',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly redisErrors = new Counter({
    name: 'gateway_redis_errors_total',
    help: 'Redis commands that failed, timed out, or were not sent because Redis was disconnected, by operation',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly redisFallbacks = new Counter({
    name: 'gateway_redis_fallbacks_total',
    help: 'Redis calls a seam went on without (in-process tier, local governor, local event delivery, unshared dedup, a failed live-state write) by seam',
    labelNames: ['seam'] as const,
    registers: [this.registry],
  });

  readonly redisConnected = new Gauge({
    name: 'gateway_redis_connected',
    help: '1 while Redis is connected, 0 otherwise (absent without REDIS_URL)',
    registers: [this.registry],
  });

  readonly pageTiers = new Counter({
    name: 'gateway_page_store_tier_total',
    help: 'Page look-ups with Redis by the tier that answered: local (in-process), redis, none (miss)',
    labelNames: ['tier'] as const,
    registers: [this.registry],
  });

  readonly governorSlots = new Counter({
    name: 'zoom_rate_governor_slots_total',
    help: 'Zoom call slots granted, by label and scope: shared (Redis, every instance) or local (this instance alone)',
    labelNames: ['label', 'scope'] as const,
    registers: [this.registry],
  });

  redisError(operation: string): void {
    this.redisErrors.inc({ operation });
  }

  redisUp(up: boolean): void {
    this.redisConnected.set(up ? 1 : 0);
  }

  redisFallback(seam: string): void {
    this.redisFallbacks.inc({ seam });
  }

  pageTier(tier: 'local' | 'redis' | 'none'): void {
    this.pageTiers.inc({ tier });
  }

  governorSlot(label: string, scope: 'shared' | 'local'): void {
    this.governorSlots.inc({ label, scope });
  }

  /** CPU, memory, event loop and the like; only the serving process asks for them. */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The current value of a counter for the given labels (0 when never incremented). */
  async value(counter: Counter<string>, labels: Record<string, string> = {}): Promise<number> {
    const { values } = await counter.get();
    return values
      .filter((entry) => Object.entries(labels).every(([key, value]) => entry.labels[key] === value))
      .reduce((sum, entry) => sum + entry.value, 0);
  }
}
