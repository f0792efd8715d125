import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { DocumentNode, GraphQLError, GraphQLFormattedError, GraphQLSchema, OperationTypeNode, getOperationAST, parse, specifiedRules, validate } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import type { ClientAuthenticator } from '../auth/client-auth';
import type { LimitsConfig, LiveConfig } from '../config';
import { ErrorCode, createFormatError } from '../errors';
import { documentLimitsRule } from '../query-limits/document-limits.rule';
import { knownOperationTypesRule } from '../query-limits/known-operation-types.rule';
import { subscriptionFieldsRule } from './subscription-fields.rule';
import type { LiveChange } from '../live/live-change';
import type { LiveFeed, SessionEventFilter } from '../live/live-feed';
import type { SubscriptionContext } from '../live/session-events.resolver';
import { subscribeShared } from './shared-execution';

export const SUBSCRIPTIONS_PATH = '/graphql';
/** A subscriber too slow for its buffer is told why, then cut if it does not even take the close. */
export const SLOW_SUBSCRIBER_CLOSE = { code: 1013, reason: 'Too slow: the event buffer overflowed; reconnect' } as const;
const SLOW_SUBSCRIBER_TERMINATE_MS = 1_000;
/** A client with as many sockets as it may hold subscriptions gets no more (1008: policy violation). */
export const TOO_MANY_CONNECTIONS = { code: 1008, reason: 'Too many connections for this client' } as const;
/** A socket must send connection_init this soon: until then it holds a place without credentials. */
export const CONNECTION_INIT_WAIT_MS = 3_000;
/**
 * Sockets upgraded without credentials and not yet initialised, in all and per remote address:
 * far below SUBSCRIPTIONS_MAX_CONNECTIONS (at most a tenth of it), so sockets that never
 * authenticate cannot hold every place.
 */
export const MAX_UNINITIALISED_CONNECTIONS = 100;
export const MAX_UNINITIALISED_PER_ADDRESS = 10;
/** On close, how long clients get for the close handshake before their sockets are cut. */
export const DISPOSE_GRACE_MS = 1_000;

export interface SubscriptionServerOptions {
  readonly schema: GraphQLSchema;
  readonly authenticator: ClientAuthenticator;
  readonly feed: LiveFeed;
  readonly live: LiveConfig;
  readonly limits: LimitsConfig;
  /** Largest message a client may send (its subscribe documents). */
  readonly maxPayloadBytes: number;
  readonly hideSuggestions: boolean;
  readonly logger: Logger;
}

interface Connection {
  readonly client: string;
  subscriptions: number;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 24);
}

/** Credentials from `connection_init` win over the upgrade request's: browsers cannot set headers on a WebSocket. */
function credentialsOf(params: Readonly<Record<string, unknown>> | undefined, request: IncomingMessage): Headers {
  const fromParams: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    const lower = name.toLowerCase();
    if ((lower === 'x-api-key' || lower === 'authorization') && typeof value === 'string') fromParams[lower] = value;
  }
  if (Object.keys(fromParams).length > 0) return fromParams;
  return { 'x-api-key': request.headers['x-api-key'], authorization: request.headers.authorization };
}

function hasCredentials(credentials: Headers): boolean {
  return [credentials['x-api-key'], credentials.authorization].some((value) => typeof value === 'string' && value !== '');
}

function clientKeyOf(credentials: Headers, request: IncomingMessage, subject: string | undefined): string {
  const apiKey = credentials['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return `key:${digest(apiKey)}`;
  if (subject !== undefined) return `jwt:${subject}`;
  const authorization = credentials.authorization;
  if (typeof authorization === 'string' && authorization !== '') return `token:${digest(authorization)}`;
  return `address:${request.socket.remoteAddress ?? 'unknown'}`;
}

/** `setting` names the limit by its setting (`limit` would read as a document limit to formatError). */
function limitError(message: string, setting: string, max: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, setting, max } });
}

/**
 * GraphQL subscriptions over graphql-ws (`graphql-transport-ws`) on the HTTP server's upgrade of
 * /graphql. Authenticated like queries, in `connection_init` or on the upgrade; bounded per
 * connection, per client and in all; closed with 1001 when the app closes.
 */
export function registerSubscriptionServer(app: FastifyInstance, options: SubscriptionServerOptions): void {
  const { authenticator, feed, live, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const connections = new WeakMap<WebSocket, Connection>();
  const perClient = new Map<string, number>();
  const connectionsPerClient = new Map<string, number>();
  const formatError = createFormatError({ error: (message, details) => logger.error(details ?? {}, message) }, { hideSuggestions: options.hideSuggestions });
  const rules = [...specifiedRules, knownOperationTypesRule, documentLimitsRule(options.limits), subscriptionFieldsRule];
  // Results are shared by subscribers with equal documents and variables: nothing under
  // Subscription may depend on who asks (the context), or the key must say who.
  const operationKeys = new WeakMap<DocumentNode, string>();
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((error) => formatError(error.toJSON(), error));

  const uninitialisedMax = Math.max(1, Math.min(MAX_UNINITIALISED_CONNECTIONS, Math.floor(live.maxConnections / 10)));
  const uninitialisedPerAddressMax = Math.min(MAX_UNINITIALISED_PER_ADDRESS, uninitialisedMax);
  const uninitialisedPerAddress = new Map<string, number>();
  let uninitialised = 0;
  /** Releases of the places held by sockets upgraded without credentials, until they initialise or close. */
  const uninitialisedRelease = new WeakMap<WebSocket, () => void>();
  const holdUninitialised = (socket: WebSocket, address: string): void => {
    uninitialised += 1;
    uninitialisedPerAddress.set(address, (uninitialisedPerAddress.get(address) ?? 0) + 1);
    let held = true;
    const release = (): void => {
      if (!held) return;
      held = false;
      uninitialised -= 1;
      const left = (uninitialisedPerAddress.get(address) ?? 1) - 1;
      if (left <= 0) uninitialisedPerAddress.delete(address);
      else uninitialisedPerAddress.set(address, left);
    };
    uninitialisedRelease.set(socket, release);
    socket.once('close', release);
  };

  const refuse = (socket: Duplex, status: string): void => {
    if (!socket.destroyed) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const upgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== SUBSCRIPTIONS_PATH) return refuse(socket, '404 Not Found');
    if (wss.clients.size >= live.maxConnections) return refuse(socket, '503 Service Unavailable');
    const credentials = credentialsOf(undefined, request);
    const given = hasCredentials(credentials);
    const address = request.socket.remoteAddress ?? 'unknown';
    if (given) {
      // Checked here too, so a bad credential costs no place; connection_init's, if any, is checked again.
      if (!(await authenticator.authenticate(credentials)).ok) return refuse(socket, '401 Unauthorized');
      if (socket.destroyed) return;
      if (wss.clients.size >= live.maxConnections) return refuse(socket, '503 Service Unavailable');
    } else if (uninitialised >= uninitialisedMax || (uninitialisedPerAddress.get(address) ?? 0) >= uninitialisedPerAddressMax) {
      return refuse(socket, '503 Service Unavailable');
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (!given) holdUninitialised(ws, address);
      wss.emit('connection', ws, request);
    });
  };

  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // First: a client that resets while it is answered would otherwise be an uncaught EPIPE/ECONNRESET.
    socket.on('error', () => socket.destroy());
    upgrade(request, socket, head).catch((error: unknown) => {
      logger.error({ err: error }, 'WebSocket upgrade failed');
      socket.destroy();
    });
  });

  /** Takes a place for one subscription of the socket's client, or refuses; returns how to give it back. */
  const takePlace = (socket: WebSocket): (() => void) => {
    const connection = connections.get(socket);
    if (!connection) throw new GraphQLError('The connection is not initialised.', { extensions: { code: 'UNAUTHENTICATED' } });
    if (connection.subscriptions >= live.subscriptionsPerConnection) {
      throw limitError(`This connection holds ${live.subscriptionsPerConnection} subscriptions, the most allowed; open another connection or end one.`, 'SUBSCRIPTIONS_MAX_PER_CONNECTION', live.subscriptionsPerConnection);
    }
    const clientCount = perClient.get(connection.client) ?? 0;
    if (clientCount >= live.subscriptionsPerClient) {
      throw limitError(`This client holds ${live.subscriptionsPerClient} subscriptions, the most allowed; end some first.`, 'SUBSCRIPTIONS_MAX_PER_CLIENT', live.subscriptionsPerClient);
    }
    connection.subscriptions += 1;
    perClient.set(connection.client, clientCount + 1);
    return () => {
      connection.subscriptions -= 1;
      const left = (perClient.get(connection.client) ?? 1) - 1;
      if (left <= 0) perClient.delete(connection.client);
      else perClient.set(connection.client, left);
    };
  };

  const openSubscription = (socket: WebSocket, filter: SessionEventFilter): AsyncIterable<LiveChange> => {
    const release = takePlace(socket);
    return feed.subscribe(
      filter,
      () => {
        socket.close(SLOW_SUBSCRIBER_CLOSE.code, SLOW_SUBSCRIBER_CLOSE.reason);
        setTimeout(() => socket.terminate(), SLOW_SUBSCRIBER_TERMINATE_MS).unref();
      },
      release,
    );
  };

  const server = useServer<Record<string, unknown> | undefined>(
    {
      schema: options.schema,
      connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
      context: (ctx): SubscriptionContext => ({
        sessionEvents: (filter) => openSubscription(ctx.extra.socket, filter),
        liveSetTicks: () => feed.subscribeLiveSet(takePlace(ctx.extra.socket)),
        liveSet: () => feed.liveSet(),
      }),
      onConnect: async (ctx) => {
        const credentials = credentialsOf(ctx.connectionParams, ctx.extra.request);
        if (!authenticator.anonymous && !hasCredentials(credentials)) {
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized: send x-api-key or authorization in connection_init');
          return false;
        }
        const auth = await authenticator.authenticate(credentials);
        if (!auth.ok) return false;
        // Closed while authenticating: its 'close' has run, so nothing counted now would be given back.
        if (ctx.extra.socket.readyState !== WebSocket.OPEN) return false;
        const subject = auth.identity.kind === 'jwt' ? auth.identity.subject : undefined;
        const client = clientKeyOf(credentials, ctx.extra.request, subject);
        // Idle sockets are no use past the client's subscriptions: without this cap one client could hold every socket.
        const open = connectionsPerClient.get(client) ?? 0;
        if (open >= live.subscriptionsPerClient) {
          ctx.extra.socket.close(TOO_MANY_CONNECTIONS.code, TOO_MANY_CONNECTIONS.reason);
          return false;
        }
        connectionsPerClient.set(client, open + 1);
        ctx.extra.socket.once('close', () => {
          const left = (connectionsPerClient.get(client) ?? 1) - 1;
          if (left <= 0) connectionsPerClient.delete(client);
          else connectionsPerClient.set(client, left);
        });
        connections.set(ctx.extra.socket, { client, subscriptions: 0 });
        uninitialisedRelease.get(ctx.extra.socket)?.();
        return true;
      },
      onSubscribe: (_ctx, _id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: options.limits.maxTokens });
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The document could not be parsed.')];
        }
        const errors = validate(options.schema, document, rules);
        if (errors.length > 0) return errors;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation || operation.operation !== OperationTypeNode.SUBSCRIPTION) {
          return [new GraphQLError('Only subscriptions are served over WebSocket; send queries to POST /graphql.', { extensions: { code: 'BAD_REQUEST' } })];
        }
        operationKeys.set(document, JSON.stringify([payload.query, payload.operationName ?? null, payload.variables ?? null]));
        // Parsed and validated here, with the gateway's limits: graphql-ws uses these as they are.
        return { schema: options.schema, document, operationName: payload.operationName, variableValues: payload.variables ?? undefined };
      },
      subscribe: (args) => subscribeShared(args, operationKeys.get(args.document)),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : undefined),
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
    live.keepAliveMs,
  );
  wss.on('connection', (socket: WebSocket) => {
    feed.metrics.subscriptionConnections.inc();
    socket.once('close', () => feed.metrics.subscriptionConnections.dec());
  });

  // Before the HTTP server closes: upgraded sockets would otherwise hold its close open.
  // A client that does not read would hold the close for ws's 30 s close timeout: cut it after a grace.
  app.addHook('preClose', async () => {
    const disposed = Promise.resolve(server.dispose()).catch((error: unknown) => logger.warn({ err: error }, 'Closing the WebSocket server failed'));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace over'>((resolve) => {
      timer = setTimeout(() => resolve('grace over'), DISPOSE_GRACE_MS);
    });
    const outcome = await Promise.race([disposed, graceOver]);
    clearTimeout(timer);
    if (outcome !== 'grace over') return;
    for (const socket of wss.clients) socket.terminate();
    await disposed;
  });
}
