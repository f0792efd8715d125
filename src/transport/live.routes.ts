import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ClientAuthenticator } from '../auth/client-auth';
import type { CredentialWatch } from '../auth/credential-watch';
import type { Config } from '../config';
import type { GatewayCore } from '../gateway';
import type { HostCheck } from './allowed-hosts';
import type { TrustedProxies } from './client-address';
import { ClientPlaces } from './client-places';
import { rateLimitedLog } from '../rate-limited-log';
import type { CostLimits } from '../query-limits/cost.plugin';
import type { SubscriptionContext } from '../live/session-events.resolver';
import type { EventContextFactory } from './shared-execution';
import { registerSseRoute } from './sse.routes';
import { registerSubscriptionServer } from './subscription-server';
import type { SubscriptionTransportOptions } from './subscription-transport';
import type { DocumentTrust } from './trusted-request';
import { registerWebhookRoute } from './webhook.routes';

/** An event stream may always hold this much unsent, whatever HTTP_MAX_UNSENT_BYTES says: a live set is tens of KB. */
const SSE_MIN_UNSENT_BYTES = 64 * 1024;
/** Refused subscribe requests logged per minute: clients cause them at will. */
const REFUSALS_LOGGED_PER_MINUTE = 20;

/** The live surface: Zoom's webhook route (when its secret is set), subscriptions on /graphql (WebSocket) and /graphql/stream (SSE). */
export async function registerLiveRoutes(app: FastifyInstance, core: GatewayCore, options: { config: Config; authenticator: ClientAuthenticator; credentials: CredentialWatch; logger: Logger; trust: DocumentTrust; proxies: TrustedProxies; hostAllowed: HostCheck; cost: CostLimits; now: () => number }): Promise<void> {
  const { config } = options;
  const secretToken = config.live.webhookSecretToken;
  if (secretToken !== undefined) {
    await registerWebhookRoute(app, { secretToken, bodyLimitBytes: config.live.webhookBodyLimitBytes, feed: core.live, now: options.now });
  }
  const places = new ClientPlaces(config.live);
  // An event's execution gets a query's loaders and call caps, and charges its Zoom calls to one of the
  // clients it answers; the subscriber's own context adds what the root fields read (the live set).
  const eventContext: EventContextFactory = {
    payerOf: (subscriber) => (subscriber as SubscriptionContext).client,
    create: (subscriber, payers) => ({ ...core.createContext(`event-${randomUUID()}`, payers), liveSet: (subscriber as SubscriptionContext).liveSet }),
  };
  const refusals = rateLimitedLog((details, message) => options.logger.info(details, message), REFUSALS_LOGGED_PER_MINUTE, 60_000, options.now);
  const transport: SubscriptionTransportOptions = {
    schema: core.schema,
    authenticator: options.authenticator,
    credentials: options.credentials,
    feed: core.live,
    limits: config.limits,
    cost: options.cost,
    corsOrigins: config.http.corsOrigins,
    proxies: options.proxies,
    places,
    refusals,
    trust: options.trust,
    eventContext,
    hideSuggestions: config.nodeEnv === 'production',
    logger: options.logger,
    now: options.now,
  };
  registerSubscriptionServer(app, {
    ...transport,
    hostAllowed: options.hostAllowed,
    live: config.live,
    maxPayloadBytes: config.http.bodyLimitBytes,
    documentMaxBytes: config.cache.documentMaxBytes,
  });
  registerSseRoute(app, { ...transport, maxUnsentBytes: Math.max(config.http.maxUnsentBytes, SSE_MIN_UNSENT_BYTES), sendStallTimeoutMs: config.http.sendStallTimeoutMs });
}
