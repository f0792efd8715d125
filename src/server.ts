import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import fastifyCors from '@fastify/cors';
import Fastify, { FastifyBaseLogger, FastifyInstance, FastifyRequest, LogController } from 'fastify';
import { ClientAuthenticator, type ClientIdentity, quotaKeyOf } from './auth/client-auth';
import type { GatewayContext } from './context';
import { createDocumentStore, persistedQueriesOption } from './document-cache';
import { createFormatError } from './errors';
import { GatewayCore, GatewayOptions, createGatewayCore, cursorKeyFor } from './gateway';
import { clientErrorHandler } from './transport/client-error';
import { httpErrorHandler, notFoundHandler } from './transport/error-body';
import { registerDashboardRoutes } from './transport/dashboard.routes';
import { registerGraphiQLAssets } from './transport/graphiql.routes';
import { registerGraphQLRoute } from './transport/graphql.route';
import { registerHealthRoutes } from './transport/health.routes';
import { createHttpServer } from './transport/http-server';
import { originMatches } from './transport/origin';
import { refuseStrayOptions, registerWellFormedInput, requireHost } from './transport/well-formed-input';
import { legacyJsonStatusPlugin } from './transport/json-status.plugin';
import { registerMetricsRoute } from './transport/metrics.routes';
import { OperationReport, operationReportPlugin } from './transport/operation-report.plugin';
import { rateLimitedLog } from './rate-limited-log';
import { requestIdOf } from './transport/request-id';
import { staleExtensionPlugin } from './transport/stale-extension.plugin';
import { CostLimits, costLimitPlugin } from './query-limits/cost.plugin';
import { readFieldPrices } from './query-limits/field-prices';
import { traceOperationPlugin } from './transport/trace-operation.plugin';
import { documentLimitsRule } from './query-limits/document-limits.rule';
import { knownOperationTypesRule } from './query-limits/known-operation-types.rule';
import { subscriptionRootPlugin, subscriptionRootRule } from './query-limits/subscription-root.plugin';
import { registerLiveRoutes } from './transport/live.routes';
import { WEBHOOK_PATH } from './transport/webhook.routes';
import { DASHBOARD_DOCUMENTS } from './trusted-documents/dashboard-manifest';
import type { TrustPolicy } from './trusted-documents/trust-policy';
import type { DocumentTrust } from './transport/trusted-request';
import { clientAddressOf, trustedProxies } from './transport/client-address';
import { type HostCheck, answeredHostNames, hostCheck } from './transport/allowed-hosts';
import { RefusedHostNames } from './transport/refused-hosts';
import { sendError } from './transport/error-body';
import { CredentialWatch } from './auth/credential-watch';
import type { TrustedDocumentMap } from './trusted-documents/manifest';
import { readManifestFiles } from './trusted-documents/manifest-files';

export type { GatewayOptions, ZoomEndpoint } from './gateway';
export { cursorKeyFor } from './gateway';

export interface Gateway {
  readonly app: FastifyInstance;
  /** Set when METRICS_PORT moves /metrics off the main port; listened on by listen(). */
  readonly metricsApp: FastifyInstance | undefined;
  readonly core: GatewayCore;
  readonly metrics: GatewayCore['metrics'];
  readonly governor: GatewayCore['governor'];
  readonly breaker: GatewayCore['breaker'];
  readonly authenticator: ClientAuthenticator;
  /** Starts serving: the main app, and the metrics app on its own port if configured. */
  listen(host: string, port: number): Promise<{ port: number; metricsPort: number | undefined }>;
  /**
   * Reads TRUSTED_DOCUMENTS_FILE again (SIGHUP): requests from then on are judged by the new
   * manifests; the number of documents trusted. Throws, keeping the manifests in force, when a
   * file cannot be read or holds a bad entry.
   */
  reloadTrustedDocuments(): number;
  /**
   * Reads GATEWAY_API_KEYS_FILE again (SIGHUP): requests from then on are judged by the new keys,
   * and subscriptions held with a key no longer listed are ended. Rejects, keeping the keys in
   * force, when the file cannot be read.
   */
  reloadApiKeys(): Promise<{ keys: number; ended: number }>;
  /** Readiness fails from here on, so load balancers stop sending; requests still in flight go on. */
  markStopping(): void;
  /** Stops taking requests, lets in-flight ones finish, then closes Zoom sockets. */
  close(): Promise<void>;
}

/** Lines a minute naming clients that sent documents outside the trusted documents. */
const UNTRUSTED_LOGGED_PER_MINUTE = 10;

/** Routes that answer whatever Host they are reached under (allowed-hosts.ts): they serve a page nothing. */
const HOST_BLIND_ROUTES = new Set([WEBHOOK_PATH, '/healthz', '/readyz', '/metrics']);
const PAGE_METHODS = new Set(['GET', 'HEAD', 'POST']);

/** How often shutdown closes connections that just went idle. */
const IDLE_SWEEP_MS = 50;

function portOf(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** The dashboard's documents are always trusted, beside those of the manifests configured. */
function trustPolicyOf(config: GatewayOptions['config'], documents: TrustedDocumentMap = config.trustedDocuments.documents): TrustPolicy {
  const { mode, enforcedClients } = config.trustedDocuments;
  return { documents: new Map([...DASHBOARD_DOCUMENTS, ...documents]), enforceAll: mode === 'enforce', enforcedClients: new Set(enforcedClients) };
}

/** Builds the HTTP app: /graphql, /healthz, /readyz, /metrics, /dashboard. Never listens by itself. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { logger, config } = options;
  const { http, limits } = config;
  const core = await createGatewayCore(options);
  const authenticator = new ClientAuthenticator(config.auth, options.now);
  await authenticator.keys.reload();
  const credentials = new CredentialWatch((headers) => authenticator.authenticate(headers), options.now);
  const fastifyLogger: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance: fastifyLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: http.bodyLimitBytes,
    genReqId: requestIdOf,
    // Every connection limit (headers, body, pipelining, stalled answers) lives in the server it builds.
    serverFactory: (handler) => createHttpServer(handler, http, ['GET', 'POST', 'OPTIONS']),
    clientErrorHandler,
    frameworkErrors: httpErrorHandler,
    return503OnClosing: true,
  });
  app.setErrorHandler(httpErrorHandler);
  app.setNotFoundHandler(notFoundHandler('GraphQL is served at /graphql.'));
  registerWellFormedInput(app);
  // A client without a key or subject is its address, the same one over HTTP, WebSocket and SSE: behind a trusted proxy, the one the proxy saw.
  const proxies = trustedProxies(config.http.trustedProxies);
  const hostRules = { anonymous: config.auth.anonymous, allowedHosts: http.allowedHosts, corsOrigins: http.corsOrigins };
  const answeredHosts = answeredHostNames(hostRules);
  // A proxy or router sending a name not listed is refused on every request, over HTTP and WebSocket alike: the log says which name.
  const refusedHosts = new RefusedHostNames((details, message) => logger.warn(details, message), options.now);
  const checkHost = hostCheck({ ...hostRules, proxies });
  const hostAllowed: HostCheck = (request) => {
    const refused = checkHost(request);
    if (refused) refusedHosts.note(refused.name);
    return refused;
  };
  if (answeredHosts !== 'any') logger.info({ hostNames: answeredHosts }, 'anonymous access: answering under IP addresses and these host names only (add others to ALLOWED_HOSTS)');
  app.addHook('onRequest', async (request, reply) => {
    // Zoom's signed webhooks and the probes serve no page anything, nor does a method no route answers (405 says so).
    if (!PAGE_METHODS.has(request.method) || HOST_BLIND_ROUTES.has(request.routeOptions.url ?? '')) return undefined;
    const foreign = hostAllowed(request.raw);
    if (foreign === undefined) return undefined;
    return sendError(reply, foreign.refusal.status, foreign.refusal.message, foreign.refusal.code);
  });
  refuseStrayOptions(app, http.corsOrigins);
  if (http.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: http.corsOrigins.includes('*') ? true : (origin, answer) => answer(null, origin !== undefined && http.corsOrigins.some((entry) => originMatches(entry, origin))),
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-request-id', 'apollo-require-preflight', 'x-apollo-operation-name'],
      exposedHeaders: ['x-request-id'],
      maxAge: 600,
    });
  }

  const reports = new WeakMap<object, OperationReport>();
  const contexts = new WeakMap<FastifyRequest, GatewayContext>();
  // One price list for queries and subscriptions alike, read from the schema's @cost and @listSize.
  const costLimits: CostLimits = {
    maxCost: limits.maxCost,
    maxHeavyCost: limits.maxHeavyCost,
    rules: { prices: readFieldPrices(core.schema), maxFirst: config.maxFirst },
    cursorKey: cursorKeyFor(config, options.zoom),
    now: options.now,
  };
  const apollo = new ApolloServer<GatewayContext>({
    schema: core.schema,
    formatError: createFormatError(logger, { hideSuggestions: config.nodeEnv === 'production', now: options.now }),
    includeStacktraceInErrorResponses: false,
    introspection: http.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: limits.maxBatch > 0,
    parseOptions: { maxTokens: limits.maxTokens },
    // Sized by what a document really holds, source and comments included: clients make documents unique at will.
    documentStore: createDocumentStore(config.cache.documentMaxBytes),
    // Apollo's default weighs a persisted query by its length alone; tiny distinct ones cost ~14 times that.
    persistedQueries: persistedQueriesOption(config.cache.documentMaxBytes),
    validationRules: [knownOperationTypesRule, subscriptionRootRule, documentLimitsRule(limits)],
    logger,
    // main.ts owns the signals: it drains HTTP first, then stops Apollo.
    stopOnTerminationSignals: false,
    plugins: [
      // No field sets @cacheControl; the default plugin would still wrap every resolver (README, Benchmarks: "HTTP layer").
      ApolloServerPluginCacheControlDisabled(),
      http.explorer === 'sandbox' ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
      subscriptionRootPlugin<GatewayContext>(),
      costLimitPlugin<GatewayContext>({ ...costLimits, callsMade: (context) => context.zoomCalls.calls }),
      operationReportPlugin<GatewayContext>(core.metrics, reports, (context) => context.zoomCalls),
      legacyJsonStatusPlugin(),
      staleExtensionPlugin(),
      traceOperationPlugin<GatewayContext>(),
    ],
  });
  await apollo.start();

  let stopping = false;
  registerHealthRoutes(app, core, () => stopping);
  if (http.dashboard) registerDashboardRoutes(app, { core, authenticator, logger });
  const metricsApp =
    http.metricsPort === undefined
      ? undefined
      : Fastify({
          loggerInstance: fastifyLogger,
          logController: new LogController({ disableRequestLogging: true }),
          serverFactory: (handler) => createHttpServer(handler, http, ['GET']),
          clientErrorHandler,
          frameworkErrors: httpErrorHandler,
        });
  if (metricsApp) {
    metricsApp.setErrorHandler(httpErrorHandler);
    metricsApp.setNotFoundHandler(notFoundHandler('this port serves /metrics.'));
    metricsApp.addHook('onRequest', async (request, reply) => requireHost(request, reply));
  }
  core.metrics.collectProcessMetrics();
  registerMetricsRoute(metricsApp ?? app, core.metrics, http.metricsToken, metricsApp !== undefined);
  if (http.explorer === 'graphiql') registerGraphiQLAssets(app);
  // Which clients still send documents outside the manifests, for a team rolling enforcement out; a client can send them at will.
  const untrustedLog = rateLimitedLog((details, message) => logger.info(details, message), UNTRUSTED_LOGGED_PER_MINUTE, 60_000, options.now);
  let policy = trustPolicyOf(config);
  const trust: DocumentTrust = {
    // Read at each request, so that a reload applies to the next one; a request being judged keeps the policy it read.
    get policy() {
      return policy;
    },
    onUntrusted: (outcome, client, operationName) => {
      core.metrics.untrustedDocuments.inc({ outcome });
      untrustedLog({ client, outcome, operationName: typeof operationName === 'string' ? operationName.slice(0, 100) : undefined }, 'document outside the trusted documents');
    },
  };
  const quotaKeyOfRequest = (request: FastifyRequest, identity: ClientIdentity | undefined) => quotaKeyOf(identity, clientAddressOf(request.raw, proxies));
  registerGraphQLRoute(app, {
    apollo,
    authenticator,
    requestTimeoutMs: http.requestTimeoutMs,
    maxBatch: limits.maxBatch,
    explorer: http.explorer,
    trust,
    clientOf: quotaKeyOfRequest,
    createContext: (request, identity) => {
      const context = core.createContext(request.id, quotaKeyOfRequest(request, identity));
      contexts.set(request, context);
      return context;
    },
  });

  await registerLiveRoutes(app, core, { config, authenticator, credentials, logger, trust, proxies, hostAllowed, cost: costLimits, now: options.now });

  // One line per request, with what it cost at Zoom; credentials never reach it (see logger.ts).
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!logger.isLevelEnabled('info') || request.url.startsWith('/healthz') || request.url.startsWith('/readyz')) return;
    const context = contexts.get(request);
    const report = context ? reports.get(context.zoomCalls) : undefined;
    // Zoom posts an event for every join and leave: accepted ones are counted in zoom_webhooks_total, not logged one by one.
    const level = reply.statusCode < 300 && request.routeOptions.url === WEBHOOK_PATH ? 'debug' : 'info';
    request.log[level](
      {
        method: request.method,
        path: request.routeOptions.url ?? request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        operationName: report?.operationName,
        errorCodes: report?.errorCodes.length ? report.errorCodes : undefined,
        zoomCalls: context?.zoomCalls.calls ?? 0,
        zoomTrackingIds: context?.zoomCalls.trackingIds.length ? context.zoomCalls.trackingIds : undefined,
      },
      'request',
    );
  });

  return {
    app,
    metricsApp,
    core,
    metrics: core.metrics,
    governor: core.governor,
    breaker: core.breaker,
    authenticator,
    async listen(host, port) {
      await app.listen({ host, port });
      if (metricsApp && http.metricsPort !== undefined) await metricsApp.listen({ host, port: http.metricsPort });
      return { port: portOf(app), metricsPort: metricsApp ? portOf(metricsApp) : undefined };
    },
    async reloadApiKeys() {
      const keys = await authenticator.keys.reload();
      return { keys, ended: await credentials.recheckKeys() };
    },
    reloadTrustedDocuments() {
      const { documents, problems } = readManifestFiles(config.trustedDocuments.files);
      if (problems.length > 0) throw new Error(`TRUSTED_DOCUMENTS_FILE: ${problems.join(' ')}`);
      policy = trustPolicyOf(config, documents);
      return policy.documents.size;
    },
    markStopping() {
      stopping = true;
    },
    async close() {
      stopping = true;
      // app.close() stops accepting and waits for requests in flight; keep-alive sockets they
      // leave idle are closed as they go idle, instead of lingering until their timeout.
      const sweeper = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS);
      try {
        await app.close();
      } finally {
        clearInterval(sweeper);
      }
      if (metricsApp) await metricsApp.close();
      await apollo.stop();
      await core.close();
    },
  };
}
