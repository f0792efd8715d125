import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A counter on `registry`; its label names are typed, so `inc({ … })` is checked against them. */
function counter<L extends string = never>(registry: Registry, name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function gauge(registry: Registry, name: string, help: string): Gauge {
  return new Gauge({ name, help, registers: [registry] });
}

function histogram<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
  return new Histogram({ name, help, labelNames, buckets, registers: [registry] });
}

/**
 * The gateway's in-process metrics, one registry per gateway (so tests and several instances
 * in one process do not mix); the ops work exposes `registry` at /metrics.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly zoomCalls = counter(this.registry, 'zoom_calls_total',
    'Zoom API attempts by endpoint, HTTP status (0 when none) and outcome', ['endpoint', 'status', 'outcome']);

  readonly zoomCallSeconds = histogram(this.registry, 'zoom_call_duration_seconds',
    'Zoom API attempt latency', ['endpoint'], [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10]);

  readonly zoomRetries = counter(this.registry, 'zoom_retries_total',
    'Zoom API retries by endpoint and reason', ['endpoint', 'reason']);

  readonly zoomRetriesDenied = counter(this.registry, 'zoom_retries_denied_total',
    'Retries not made because the retry budget was spent', ['endpoint']);

  readonly pageCache = counter(this.registry, 'zoom_page_cache_total',
    'Zoom page look-ups: hit (served from cache), shared (joined a call in flight), miss (called Zoom)', ['result']);

  readonly governorWaitSeconds = histogram(this.registry, 'zoom_rate_governor_wait_seconds',
    'Time Zoom calls waited in the rate governor queue', ['label'], [0, 0.1, 0.5, 1, 2, 5, 10]);

  readonly governorRejections = counter(this.registry, 'zoom_rate_governor_rejections_total',
    'Zoom calls refused by the rate governor (window spent, queue too long, paused by a Zoom 429, daily cap spent)', ['label', 'reason']);

  readonly zoomCallsNotSent = counter(this.registry, 'zoom_calls_not_sent_total',
    'Zoom calls given up before they reached Zoom: in_flight_cap (every call slot busy) or no_socket (no socket came free)', ['endpoint', 'reason']);

  readonly zoomStaleSocketResends = counter(this.registry, 'zoom_stale_socket_resends_total',
    'Zoom calls sent again on a connection of their own after a kept-alive socket was reset before any answer (one call for every budget)');

  readonly breakerState = gauge(this.registry, 'zoom_circuit_breaker_state',
    'Zoom circuit breaker: 0 closed, 1 half-open, 2 open');

  readonly callCapReached = counter(this.registry, 'gateway_request_zoom_call_cap_reached_total',
    'GraphQL fields that stopped early because their request spent its Zoom call cap');

  readonly untrustedDocuments = counter(this.registry, 'gateway_untrusted_documents_total',
    'GraphQL documents outside the trusted-documents manifests: served (client not enforced) or refused (enforced)', ['outcome']);

  readonly cursorRecoveries = counter(this.registry, 'gateway_cursor_recoveries_total',
    'Cursors whose Zoom token had expired: recovered by re-walking the window, or answered CURSOR_EXPIRED', ['outcome']);

  readonly graphqlRequests = counter(this.registry, 'graphql_requests_total',
    'GraphQL operations by operation name and outcome (ok, or the first error code)', ['operation', 'outcome']);

  readonly graphqlSeconds = histogram(this.registry, 'graphql_request_duration_seconds',
    'GraphQL operation latency, from request to response', ['operation'], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

  readonly redisErrors = counter(this.registry, 'gateway_redis_errors_total',
    'Redis commands that failed, timed out, or were not sent because Redis was disconnected, by operation', ['operation']);

  readonly redisFallbacks = counter(this.registry, 'gateway_redis_fallbacks_total',
    'Redis calls a seam went on without (in-process tier, local governor, local event delivery, unshared dedup, a failed live-state write) by seam', ['seam']);

  readonly redisOtherPrefixes = gauge(this.registry, 'gateway_redis_other_key_prefixes',
    'Other REDIS_KEY_PREFIX values serving this Zoom account on this Redis in the last 5 minutes (should be 0: each prefix keeps a budget of its own)');
  readonly redisConnected = gauge(this.registry, 'gateway_redis_connected',
    '1 while Redis is connected, 0 otherwise (absent without REDIS_URL)');

  readonly pageTiers = counter(this.registry, 'gateway_page_store_tier_total',
    'Page look-ups with Redis by the tier that answered: local (in-process), redis, none (miss)', ['tier']);

  readonly governorSlots = counter(this.registry, 'zoom_rate_governor_slots_total',
    'Zoom call slots granted, by label and scope: shared (Redis, every instance) or local (this instance alone)', ['label', 'scope']);

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
