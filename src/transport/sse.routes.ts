import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, type ExecutionArgs, type GraphQLFormattedError } from 'graphql';
import { createHandler } from 'graphql-sse';
import { quotaKeyOf } from '../auth/client-auth';
import { createFormatError } from '../errors';
import { clientAddressOf, requestHostOf } from './client-address';
import { codeForStatus, errorBody, refuseOtherMethods, sendError } from './error-body';
import { originAllowed } from './origin';
import { ConnectionPlaces, clientKeyOf } from './client-places';
import type { SubscriptionContext } from '../live/session-events.resolver';
import { subscribeShared } from './shared-execution';
import { sendState, watchSendProgress } from './send-progress';
import { prepareSubscription } from './subscription-document';
import { subscriptionRules } from './subscription-server';
import { FOREIGN_ORIGIN_REFUSAL, NO_PLACE_REFUSAL, type SubscriptionTransportOptions } from './subscription-transport';
import { trustedSubscribe } from './trusted-request';

export const SSE_PATH = '/graphql/stream';

export interface SseRouteOptions extends SubscriptionTransportOptions {
  /** Unsent bytes a stream may hold (its reader is slower than its events) before it is cut. */
  readonly maxUnsentBytes: number;
  /** A stream waiting for its reader is cut when the reader takes no byte for this long (HTTP_SEND_STALL_TIMEOUT_MS). */
  readonly sendStallTimeoutMs: number;
}

/** What the route learned before graphql-sse runs: who asks, and the stream's own count. */
interface StreamContext {
  readonly client: string;
  /** The client as quotas and trusted documents name it. */
  readonly quotaKey: string;
  readonly address: string;
  readonly connection: ConnectionPlaces;
  readonly cut: () => void;
  /** Settles once the stream has taken what was written to it (or is gone). */
  readonly room: () => Promise<void>;
}

/** What graphql-sse's refusals without a body mean, in words a client can act on. */
const BODILESS_REFUSALS: Readonly<Record<number, string>> = {
  404: `${SSE_PATH} serves GraphQL subscriptions as Server-Sent Events: ask with "Accept: text/event-stream".`,
  405: `${SSE_PATH} takes GET or POST.`,
  415: 'Send the subscription as JSON ("Content-Type: application/json").',
};

/**
 * graphql-sse's own refusals of a malformed request (`Missing query`, `Invalid variables`, `Stream not found`) carry
 * no code: they get the code of their status (BAD_REQUEST for 400), as over POST /graphql and the WebSocket; those
 * with no body at all get one. Errors with a code pass.
 */
export function codedRefusal(body: string | null, status: number, statusText: string | undefined): string {
  if (body === null) return errorBody(BODILESS_REFUSALS[status] ?? statusText ?? `HTTP ${status}`, codeForStatus(status));
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { errors?: unknown }).errors)) return body;
  const errors = (parsed as { errors: unknown[] }).errors.map((error) =>
    typeof error === 'object' && error !== null && !('extensions' in error) ? { ...error, extensions: { code: codeForStatus(status) } } : error,
  );
  return JSON.stringify({ ...parsed, errors });
}

/**
 * Settles once the response has taken what was written to it, or is gone. A reader that takes no
 * byte for a whole `stallMs` is not reading: `onStall` (as an HTTP answer is cut, http-server.ts).
 */
function roomOn(raw: ServerResponse, stallMs: number, onStall: () => void): Promise<void> {
  if (raw.destroyed || !raw.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    // Cut already (its queue overflowed, or the unsent bound), its close not yet heard: nothing to count again.
    const stop = watchSendProgress(() => sendState(raw, raw.socket), stallMs, () => raw.destroyed || onStall());
    const done = (): void => {
      stop();
      raw.off('drain', done).off('close', done);
      resolve();
    };
    raw.once('drain', done).once('close', done);
  });
}

/**
 * GraphQL subscriptions over Server-Sent Events (graphql-sse, distinct connections mode: one
 * operation per request, GET or POST). The same authentication (headers), the same per-client
 * caps and places as the WebSocket, the same document rules and shared execution.
 */
export function registerSseRoute(app: FastifyInstance, options: SseRouteOptions): void {
  const { authenticator, feed, places } = options;
  const rules = subscriptionRules(options.limits);
  const formatError = createFormatError(options.logger, { hideSuggestions: options.hideSuggestions, now: options.now });
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((error) => formatError(error.toJSON(), error));
  const operationKeys = new WeakMap<object, string>();
  /** Each subscription's stream's room, by its context: graphql-sse hands `subscribe` the context, not the request. */
  const rooms = new WeakMap<object, () => Promise<void>>();
  /** Streams being answered: ended when the app closes, or they would hold its close open. */
  const open = new Set<() => void>();

  const handler = createHandler<FastifyRequest, StreamContext, Record<string, unknown>>({
    schema: options.schema,
    // No stream token: only distinct connections, so nothing outlives its request.
    authenticate: () => null,
    onSubscribe: (req, params) => {
      const trusted = trustedSubscribe(params, req.context.quotaKey, options.trust);
      const prepared = trusted.ok ? prepareSubscription({ schema: options.schema, rules, maxTokens: options.limits.maxTokens, cost: options.cost }, trusted.payload) : [new GraphQLError(trusted.message, { extensions: { code: trusted.code } })];
      if (Array.isArray(prepared)) {
        options.refusals({ transport: 'sse', address: req.context.address, codes: prepared.map((error) => error.extensions.code), message: prepared[0]?.message }, 'subscribe refused');
        return [JSON.stringify({ errors: format(prepared) }), { status: 400, statusText: 'Bad Request', headers: { 'content-type': 'application/json; charset=utf-8' } }];
      }
      const { client, connection, cut } = req.context;
      const context: SubscriptionContext = {
        // The name its queries' quota is counted under: one quota, whichever way it asks.
        client: req.context.quotaKey,
        sessionEvents: (filter) => feed.subscribe(filter, cut, places.takeSubscription(client, connection)),
        liveSetTicks: () => feed.subscribeLiveSet(places.takeSubscription(client, connection)),
        liveSet: () => feed.liveSet(),
      };
      operationKeys.set(prepared.document, prepared.operationKey);
      rooms.set(context, req.context.room);
      // graphql-sse wants an index-signature record; the resolvers read it as the SubscriptionContext it is.
      return { schema: options.schema, document: prepared.document, operationName: prepared.operationName, variableValues: prepared.variableValues, contextValue: context as unknown as Record<string, unknown> };
    },
    // graphql-sse takes results as they come into a buffer of its own, without bound: the next is taken from the subscriber's queue only once the stream has room.
    subscribe: (args: ExecutionArgs) => subscribeShared(args, operationKeys.get(args.document), options.eventContext, { room: rooms.get(args.contextValue as object) }),
    // graphql-sse types results as graphql-js's; what leaves is the formatted (masked) errors, as over WebSocket.
    onNext: (_ctx, _req, result) => ('errors' in result && result.errors ? { ...result, errors: format(result.errors) as unknown as GraphQLError[] } : undefined),
  });

  const stream = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (!originAllowed(request.headers.origin, requestHostOf(request.raw, options.proxies), options.corsOrigins)) return sendError(reply, FOREIGN_ORIGIN_REFUSAL.status, FOREIGN_ORIGIN_REFUSAL.message, FOREIGN_ORIGIN_REFUSAL.code);
    const auth = await authenticator.authenticate(request.headers);
    if (!auth.ok) {
      void reply.header('www-authenticate', 'Bearer, ApiKey header="x-api-key"');
      return sendError(reply, 401, auth.reason, 'UNAUTHENTICATED');
    }
    // Gone while it was authenticated (a JWKS fetch takes time): its close has been heard, and would give back nothing taken now.
    if (reply.raw.destroyed || request.raw.socket.destroyed) return reply.hijack();
    const address = clientAddressOf(request.raw, options.proxies);
    const client = clientKeyOf(auth.identity, address);
    const releaseConnection = places.openConnection(client);
    if (!releaseConnection) return sendError(reply, 429, 'Too many connections for this client.', 'SUBSCRIPTION_LIMIT_EXCEEDED');
    const releasePlace = places.takePlace();
    if (!releasePlace) {
      releaseConnection();
      return sendError(reply, NO_PLACE_REFUSAL.status, NO_PLACE_REFUSAL.message, NO_PLACE_REFUSAL.code);
    }
    const raw = reply.raw;
    raw.once('close', () => {
      releasePlace();
      releaseConnection();
    });
    const cut = (): void => {
      raw.destroy();
    };
    // Cut rather than completed: graphql-sse's client takes a cut stream for a network failure and retries, with fresh credentials if it has them.
    raw.once('close', options.credentials.hold(request.headers, auth.identity, cut));
    /** A stream whose reader fell too far behind or stopped reading: cut, and counted as a dropped subscriber. */
    const drop = (): void => {
      feed.metrics.droppedSubscribers.inc();
      cut();
    };
    const room = (): Promise<void> => roomOn(raw, options.sendStallTimeoutMs, drop);
    const [body, init] = await handler({
      method: request.method,
      url: request.url,
      headers: { get: (key) => { const value = request.headers[key.toLowerCase()]; return Array.isArray(value) ? value.join(', ') : value; } },
      body: () => (request.body ?? null) as string | Record<PropertyKey, unknown> | null,
      raw: request,
      context: { client, quotaKey: quotaKeyOf(auth.identity, address), address, connection: { subscriptions: 0 }, cut, room },
    });
    // Past here the answer is written by hand: fastify must not send one too.
    void reply.hijack();
    const refused = init.status >= 400 && (body === null || typeof body === 'string');
    const headers = { ...(reply.getHeaders() as Record<string, string>), ...init.headers, ...(refused ? { 'content-type': 'application/json; charset=utf-8' } : {}) };
    raw.writeHead(init.status, init.statusText, headers);
    if (body === null || typeof body === 'string') {
      raw.end(refused ? codedRefusal(body, init.status, init.statusText) : body ?? undefined);
      return undefined;
    }
    const end = (): void => void body.return(undefined);
    open.add(end);
    raw.once('close', () => {
      open.delete(end);
      end();
    });
    // A reader that stops reading leaves its events in its queue (see `room`) and is dropped when the queue is full;
    // one slower than a single large event is cut when its unsent bytes pass the bound.
    for await (const chunk of body) {
      if (raw.destroyed) break;
      raw.write(chunk);
      if (raw.writableLength > options.maxUnsentBytes) {
        drop();
        break;
      }
    }
    if (!raw.destroyed) raw.end();
    return undefined;
  };

  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  app.get(SSE_PATH, stream);
  app.post(SSE_PATH, stream);
  refuseOtherMethods(app, SSE_PATH, ['GET', 'POST']);
}
