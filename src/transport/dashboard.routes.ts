import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ClientAuthenticator } from '../auth/client-auth';
import type { GatewayCore } from '../gateway';
import { budgetView } from './budget-view';
import { DashboardFile, acceptsGzip, findDashboardBuild, loadDashboardFiles } from './dashboard-files';
import { sendError } from './error-body';

export interface DashboardRouteOptions {
  readonly core: Pick<GatewayCore, 'governor' | 'breaker'>;
  readonly authenticator: ClientAuthenticator;
  readonly logger: Pick<Logger, 'warn'>;
  /** The built app (dashboard/dist); found next to the gateway's sources when not given. */
  readonly buildDir?: string;
}

/**
 * Everything the page loads comes from here: no CDN, no inline script. The app talks to
 * /graphql and this route on the same origin (graphql-ws included: 'self' covers ws: in CSP 3).
 */
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const NOT_BUILT = 'The dashboard is not built: run `npm run build`, then restart the gateway.';

function send(request: FastifyRequest, reply: FastifyReply, file: DashboardFile): FastifyReply {
  const gzip = acceptsGzip(request.headers['accept-encoding']);
  void reply
    .header('content-type', file.contentType)
    .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'accept-encoding');
  if (file.contentType.startsWith('text/html')) void reply.header('content-security-policy', CONTENT_SECURITY_POLICY).header('referrer-policy', 'no-referrer');
  if (gzip) void reply.header('content-encoding', 'gzip');
  return reply.send(gzip ? file.gzipped() : file.body);
}

/**
 * /dashboard: the sessions dashboard (dashboard/), and /dashboard/budget.json, the budget it shows.
 * The files hold no data and load without a credential; the app sends its API key with every
 * call, and budget.json asks for it like /graphql does.
 */
export function registerDashboardRoutes(app: FastifyInstance, options: DashboardRouteOptions): void {
  const { core, authenticator, logger } = options;
  const buildDir = options.buildDir ?? findDashboardBuild();
  const files = buildDir === undefined ? new Map<string, DashboardFile>() : loadDashboardFiles(buildDir);
  if (files.size === 0) logger.warn(NOT_BUILT);

  app.get('/dashboard', async (_request, reply) => reply.redirect('/dashboard/', 302));

  app.get('/dashboard/budget.json', async (request, reply) => {
    const auth = await authenticator.authenticate(request.headers);
    if (!auth.ok) {
      return sendError(reply.header('www-authenticate', 'Bearer, ApiKey header="x-api-key"'), 401, auth.reason, 'UNAUTHENTICATED');
    }
    return reply.header('cache-control', 'no-store').send(await budgetView(core.governor, core.breaker));
  });

  app.get<{ Params: { '*': string } }>('/dashboard/*', async (request, reply) => {
    const path = request.params['*'];
    const index = files.get('index.html');
    if (!index) return sendError(reply, 404, NOT_BUILT, 'NOT_FOUND');
    const file = files.get(path);
    if (file) return send(request, reply, file);
    // The app routes by hash; a path without an extension is still the app (a bookmark, a reload).
    if (path === '' || !/\.[a-z0-9]+$/i.test(path)) return send(request, reply, index);
    return sendError(reply, 404, `No such dashboard file: ${path.slice(0, 100)}`, 'NOT_FOUND');
  });
}
