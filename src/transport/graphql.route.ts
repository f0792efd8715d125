import { ApolloServer, HeaderMap, HTTPGraphQLRequest } from '@apollo/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { ClientAuthenticator, ClientIdentity } from '../auth/client-auth';
import type { Explorer } from '../config';
import type { GatewayContext } from '../sessions/request-context';
import { QUERY_LIMIT_EXCEEDED } from '../query-limits/limit-error';
import { PERSISTED_QUERY_NOT_FOUND } from '../trusted-documents/trust-policy';
import { refuseOtherMethods, sendError } from './error-body';
import { sendGraphiQLPage } from './graphiql.routes';
import { trustedRequest, type DocumentTrust } from './trusted-request';
import { SpanKind, callerContext, inSpan } from '../tracing/spans';

export interface GraphQLRouteOptions {
  readonly apollo: ApolloServer<GatewayContext>;
  readonly authenticator: ClientAuthenticator;
  readonly createContext: (request: FastifyRequest, identity: ClientIdentity | undefined) => GatewayContext;
  readonly requestTimeoutMs: number;
  readonly maxBatch: number;
  readonly explorer: Explorer;
  readonly trust: DocumentTrust;
  /** The client's name as quotas know it (`key:<keyId>`, `sub:<subject>`, `addr:<address>`). */
  readonly clientOf: (request: FastifyRequest, identity: ClientIdentity | undefined) => string;
}

const TIMED_OUT = Symbol('timed out');

function searchOf(request: FastifyRequest): string {
  const queryStart = request.url.indexOf('?');
  return queryStart < 0 ? '' : request.url.slice(queryStart);
}

function toGraphQLRequest(request: FastifyRequest, body: unknown, search: string): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return { method: request.method.toUpperCase(), headers, body, search };
}

/**
 * A browser opening /graphql to explore it gets the landing page, which holds no data, without a
 * credential: only when the page is served at all, and only for a GET with no query string, so
 * that nothing Apollo could execute slips past authentication.
 */
function isLandingPageVisit(request: FastifyRequest, explorer: Explorer): boolean {
  return explorer !== 'off' && request.method === 'GET' && !request.url.includes('?') && (request.headers.accept ?? '').includes('text/html');
}

/**
 * /graphql: authenticates, bounds batches, runs Apollo Server, and answers 503 when a request
 * outlives its time (the work it started is abandoned, not awaited).
 */
export function registerGraphQLRoute(app: FastifyInstance, options: GraphQLRouteOptions): void {
  const { apollo, authenticator } = options;
  app.route({
    url: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    // One server span per request, continuing the client's W3C `traceparent`; the operation names it once parsed.
    handler: (request, reply) =>
      inSpan(`${request.method} /graphql`, { kind: SpanKind.SERVER, parent: callerContext(request.headers), attributes: { 'http.request.method': request.method, 'url.path': '/graphql', 'request.id': request.id } }, async (span) => {
        const answered = await serve(request, reply);
        span.setAttribute('http.response.status_code', reply.statusCode);
        return answered;
      }),
  });
  refuseOtherMethods(app, '/graphql', ['GET', 'POST']);

  async function serve(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const landing = isLandingPageVisit(request, options.explorer);
    // GraphiQL is the gateway's own page; Sandbox's comes from Apollo's landing-page plugin.
    if (landing && options.explorer === 'graphiql') return sendGraphiQLPage(reply);
    let identity: ClientIdentity | undefined;
    if (request.method !== 'OPTIONS' && !landing) {
      const auth = await authenticator.authenticate(request.headers);
      if (!auth.ok) {
        void reply.header('www-authenticate', 'Bearer, ApiKey header="x-api-key"');
        return sendError(reply, 401, auth.reason, 'UNAUTHENTICATED');
      }
      identity = auth.identity;
    }
    if (Array.isArray(request.body) && options.maxBatch > 0 && request.body.length > options.maxBatch) {
      return sendError(reply, 400, `The batch holds too many operations (limit batch: at most ${options.maxBatch}, found ${request.body.length}).`, QUERY_LIMIT_EXCEEDED, {
        limit: 'batch',
        max: options.maxBatch,
        found: request.body.length,
      });
    }
    let body: unknown = request.body;
    let search = searchOf(request);
    if (request.method !== 'OPTIONS') {
      // Judged before Apollo parses anything: a refused document costs no Zoom call.
      const trusted = trustedRequest(request.method, body, search, options.clientOf(request, identity), options.trust);
      if (!trusted.ok) {
        // As Apollo answers an unknown hash: 200, never cached, so Apollo clients retry as they expect.
        if (trusted.code === PERSISTED_QUERY_NOT_FOUND) return sendError(reply.header('cache-control', 'private, no-cache, must-revalidate'), 200, trusted.message, trusted.code);
        return sendError(reply, 400, trusted.message, trusted.code);
      }
      ({ body, search } = trusted);
    }
    const execution = apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: toGraphQLRequest(request, body, search),
      context: async () => options.createContext(request, identity),
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), options.requestTimeoutMs);
    });
    const outcome = await Promise.race([execution, timeout]).finally(() => clearTimeout(timer));
    if (outcome === TIMED_OUT) {
      execution.catch((error: unknown) => request.log.warn({ err: error }, 'request failed after its timeout'));
      return sendError(reply, 503, `The request took longer than ${options.requestTimeoutMs} ms and was abandoned; try again later.`, 'REQUEST_TIMEOUT');
    }
    for (const [key, value] of outcome.headers) void reply.header(key, value);
    void reply.code(outcome.status ?? 200);
    if (outcome.body.kind === 'complete') return reply.send(outcome.body.string);
    return reply.send(Readable.from(outcome.body.asyncIterator));
  }
}
