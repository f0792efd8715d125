import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { GraphQLError, GraphQLFormattedError, SingleFieldSubscriptionsRule, specifiedRules } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { WebSocket, WebSocketServer } from 'ws';
import { quotaKeyOf } from '../auth/client-auth';
import type { LimitsConfig, LiveConfig } from '../config';
import { createFormatError } from '../errors';
import type { HostCheck } from './allowed-hosts';
import { clientAddressOf, requestHostOf } from './client-address';
import { originAllowed } from './origin';
import { documentLimitsRule } from '../query-limits/document-limits.rule';
import { knownOperationTypesRule } from '../query-limits/known-operation-types.rule';
import { singleRootFieldRule } from '../query-limits/subscription-root-directives.rule';
import type { SubscriptionContext } from '../live/session-events.resolver';
import { subscribeShared } from './shared-execution';
import { ConnectionPlaces, clientKeyOf } from './client-places';
import { PreparedDocuments, prepareSubscription } from './subscription-document';
import { FOREIGN_ORIGIN_REFUSAL, NO_PLACE_REFUSAL, type SubscriptionTransportOptions, credentialEndReason } from './subscription-transport';
import { trustedSubscribe } from './trusted-request';
import { UninitialisedSockets } from './uninitialised-sockets';
import { UPGRADE_RATE_REFUSAL, UpgradeRate } from './upgrade-rate';
import { PIPELINED_UPGRADE_REFUSAL, answerHandshakeErrors, refuseUpgrade, upgradeProblem } from './websocket-handshake';
import { serveGraphqlWs } from './graphql-ws-binding';
import { SocketEventWriter } from './socket-event-writer';
import { afterAnswers, leaveConnectionCap, requestInFlight } from './http-server';

export const SUBSCRIPTIONS_PATH = '/graphql';
/** A subscriber too slow for its buffer is told why, then cut if it does not even take the close. */
export const SLOW_SUBSCRIBER_CLOSE = { code: 1013, reason: 'Too slow: the event buffer overflowed; reconnect' } as const;
/** A socket told to close (too slow, or evicted) is cut if it has not taken the close by then. */
const CLOSE_GRACE_MS = 1_000;
/**
 * Unsent answers to its own messages (pongs, errors, acks) a socket may hold when it sends another: a client sending
 * without reading would otherwise queue answers without bound (a ping flood). Events are not counted (bounded apart).
 */
export const MAX_UNREAD_ANSWER_BYTES = 64 * 1024;
export const UNREAD_ANSWERS_CLOSE = { code: 1008, reason: 'Too many answers unread: read what the server sends' } as const;
/** A client with as many sockets as it may hold subscriptions gets no more (1008: policy violation). */
export const TOO_MANY_CONNECTIONS = { code: 1008, reason: 'Too many connections for this client' } as const;
/** A socket must send connection_init this soon: until then it holds a place without credentials. */
export const CONNECTION_INIT_WAIT_MS = 3_000;
/**
 * The wait of sockets beyond the share of uninitialised ones (per address or in all): a client
 * that sends connection_init at once needs a round trip; an idle socket gives its place back
 * sooner. Long enough for a loaded gateway to read a burst of a thousand connection_inits.
 */
export const SHORT_CONNECTION_INIT_WAIT_MS = 1_500;
/** The share of uninitialised sockets per address and in all (at most a tenth of SUBSCRIPTIONS_MAX_CONNECTIONS) that get the full wait. */
export const UNINITIALISED_SHARE = 100;
export const UNINITIALISED_SHARE_PER_ADDRESS = 10;
/** What closes a socket evicted for a newer one, or too slow to initialise: graphql-ws's clients retry on it. */
export const INIT_TIMEOUT_CLOSE = { code: CloseCode.ConnectionInitialisationTimeout, reason: 'Connection initialisation timeout' } as const;
/**
 * Upgrades per address that never authenticate: a burst, then a rate (a socket that
 * authenticates gives its token back, so a proxy's dashboards reconnecting at once keep theirs).
 * It bounds how fast one address can churn places, not how many dashboards sit behind it.
 */
export const UPGRADE_BURST_PER_ADDRESS = 2_000;
export const UPGRADE_RATE_PER_SECOND = 200;
/** Addresses whose upgrade rate is remembered; past this the least recently seen is forgotten. */
const UPGRADE_RATE_MAX_ADDRESSES = 10_000;
/** On close, how long clients get for the close handshake before their sockets are cut. */
export const DISPOSE_GRACE_MS = 1_000;

export interface SubscriptionServerOptions extends SubscriptionTransportOptions {
  readonly live: LiveConfig;
  /** Largest message a client may send (its subscribe documents). */
  readonly maxPayloadBytes: number;
  /** Parsed and validated documents kept, shared by every subscriber sending the same (DOCUMENT_CACHE_MAX_BYTES). */
  readonly documentMaxBytes: number;
  /** Whether the gateway answers under the upgrade's host name (allowed-hosts.ts). */
  readonly hostAllowed: HostCheck;
}

/** Where one subscription's events go: its socket, under the id its client gave it. */
interface Destination {
  readonly socket: WebSocket;
  readonly id: string;
  readonly operationKey: string;
}

/** `quotaKey`: the client as quotas and trusted documents name it; `client` is the places' own name, which tells subjectless JWTs apart. */
interface Connection extends ConnectionPlaces {
  readonly client: string;
  readonly quotaKey: string;
  /** Its subscriptions' queues, ended when it closes (openQueue). */
  readonly queues: Set<{ end(): void }>;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

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

/** The rules of every subscribe request, on any transport. */
export function subscriptionRules(limits: LimitsConfig) {
  return [...specifiedRules.filter((rule) => rule !== SingleFieldSubscriptionsRule), singleRootFieldRule, knownOperationTypesRule, documentLimitsRule(limits)];
}

/**
 * GraphQL subscriptions over graphql-ws (`graphql-transport-ws`) on the HTTP server's upgrade of
 * /graphql. Authenticated like queries, in `connection_init` or on the upgrade; bounded per
 * connection, per client and in all; closed with 1001 when the app closes. Places go to
 * credentials first: see the README's "Who gets a subscription socket".
 */
export function registerSubscriptionServer(app: FastifyInstance, options: SubscriptionServerOptions): void {
  const { authenticator, feed, live, logger, places, proxies } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  answerHandshakeErrors(wss);
  const connections = new WeakMap<WebSocket, Connection>();
  const formatError = createFormatError(logger, { hideSuggestions: options.hideSuggestions, now: options.now });
  const rules = subscriptionRules(options.limits);
  // Results are shared by subscribers with equal documents and variables: nothing under
  // Subscription may depend on who asks (the subscriber's context), or the key must say who.
  // Keyed by the execution arguments onSubscribe returns, which graphql-ws hands to `subscribe`.
  const destinations = new WeakMap<object, Destination>();
  const documents = new PreparedDocuments(options.documentMaxBytes);
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((error) => formatError(error.toJSON(), error));
  const events = new SocketEventWriter(format);

  const rate = new UpgradeRate(UPGRADE_BURST_PER_ADDRESS, UPGRADE_RATE_PER_SECOND, UPGRADE_RATE_MAX_ADDRESSES, options.now);
  const uninitialised = new UninitialisedSockets<WebSocket>(UNINITIALISED_SHARE_PER_ADDRESS, Math.max(1, Math.min(UNINITIALISED_SHARE, Math.floor(live.maxConnections / 10))));
  /** Each socket's address, for giving its upgrade token back when it authenticates. */
  const addresses = new WeakMap<WebSocket, string>();
  /** How each socket gives its place back: on close, or at once when evicted. */
  const releasePlace = new WeakMap<WebSocket, () => void>();

  /**
   * A socket on its way out gives its place back at once and is cut if it does not take the
   * close: a client that stops reading would otherwise hold its place for ws's 30 s close timeout.
   */
  const letGo = (socket: WebSocket, close?: { code: number; reason: string }): void => {
    releasePlace.get(socket)?.();
    if (close) socket.close(close.code, close.reason);
    setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
  };

  // With every place held, a newcomer on either transport takes the oldest uninitialised socket's.
  places.freeWith(() => {
    const oldest = uninitialised.evictOldest();
    if (oldest) letGo(oldest, INIT_TIMEOUT_CLOSE);
    return oldest !== undefined;
  });

  const accept = (ws: WebSocket, address: string, release: () => void): void => {
    // Added before graphql-ws's own listener, so it runs first: a socket let go here is CLOSING, and graphql-ws
    // then writes no answer to the message.
    ws.on('message', () => {
      if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount - events.unsent(ws) > MAX_UNREAD_ANSWER_BYTES) letGo(ws, UNREAD_ANSWERS_CLOSE);
    });
    releasePlace.set(ws, release);
    addresses.set(ws, address);
    const beyondShare = uninitialised.add(ws, address);
    const timer = setTimeout(() => {
      if (uninitialised.delete(ws)) letGo(ws, INIT_TIMEOUT_CLOSE);
    }, beyondShare ? SHORT_CONNECTION_INIT_WAIT_MS : CONNECTION_INIT_WAIT_MS);
    timer.unref();
    ws.once('close', () => {
      clearTimeout(timer);
      uninitialised.delete(ws);
      release();
    });
  };

  const upgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    // Behind a request still being answered, its answer would land inside the WebSocket: refused after that answer.
    if (requestInFlight(request.socket)) return afterAnswers(request.socket, () => refuseUpgrade(socket, PIPELINED_UPGRADE_REFUSAL));
    const problem = upgradeProblem(request, SUBSCRIPTIONS_PATH);
    if (problem) return refuseUpgrade(socket, problem.refusal, problem.headers);
    // An upgrade passes no fastify hook: the Host check every other route gets (server.ts) is made here.
    const foreign = options.hostAllowed(request);
    if (foreign) return refuseUpgrade(socket, foreign.refusal);
    if (!originAllowed(request.headers.origin, requestHostOf(request, proxies), options.corsOrigins)) return refuseUpgrade(socket, FOREIGN_ORIGIN_REFUSAL);
    const address = clientAddressOf(request, proxies);
    if (!rate.take(address)) return refuseUpgrade(socket, UPGRADE_RATE_REFUSAL, { 'Retry-After': String(rate.retryAfterSeconds(address)) });
    const credentials = credentialsOf(undefined, request);
    if (hasCredentials(credentials)) {
      // Checked here too, so a bad credential costs no place; connection_init's, if any, is checked again.
      const auth = await authenticator.authenticate(credentials);
      if (!auth.ok) return refuseUpgrade(socket, { status: 401, code: 'UNAUTHENTICATED', message: auth.reason });
      if (socket.destroyed) return;
    }
    const release = places.takePlace();
    if (!release) return refuseUpgrade(socket, NO_PLACE_REFUSAL);
    // ws refuses a malformed handshake without calling back: the place must come back then too.
    socket.once('close', release);
    wss.handleUpgrade(request, socket, head, (ws) => {
      accept(ws, address, release);
      wss.emit('connection', ws, request);
    });
  };

  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // First: a client that resets while it is answered would otherwise be an uncaught EPIPE/ECONNRESET.
    socket.on('error', () => socket.destroy());
    // Counted from here by the subscription places and the upgrade rate, no longer by the HTTP connection cap.
    leaveConnectionCap(socket);
    upgrade(request, socket, head).catch((error: unknown) => {
      logger.error({ err: error }, 'WebSocket upgrade failed');
      socket.destroy();
    });
  });

  /**
   * A subscription's queue, opened with a place of the socket's client (or refused), and ended with
   * the socket whatever graphql-ws holds: graphql-ws loses sight of a subscription whose id is
   * completed and subscribed again while it is being set up (subscribe, complete, subscribe in one
   * burst), and would leave it running, holding its place and its client's cap, for good.
   */
  const openQueue = <Q extends { end(): void }>(socket: WebSocket, open: (release: () => void) => Q): Q => {
    const connection = connections.get(socket);
    if (!connection) throw new GraphQLError('The connection is not initialised.', { extensions: { code: 'UNAUTHENTICATED' } });
    const release = places.takeSubscription(connection.client, connection);
    const queue = open(() => {
      connection.queues.delete(queue);
      release();
    });
    connection.queues.add(queue);
    // Its socket's close was heard while this subscribe was set up: nothing would end it later.
    if (socket.readyState === WebSocket.CLOSED) queue.end();
    return queue;
  };

  /** Set by onConnect before any subscribe can run: a socket without one is refused, never charged to a name shared by others. */
  const quotaKeyOfSocket = (socket: WebSocket): string => {
    const connection = connections.get(socket);
    if (!connection) throw new GraphQLError('The connection is not initialised.', { extensions: { code: 'UNAUTHENTICATED' } });
    return connection.quotaKey;
  };

  const server = serveGraphqlWs<Record<string, unknown> | undefined>(
    {
      schema: options.schema,
      connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
      context: (ctx): SubscriptionContext => ({
        // The name its queries' quota is counted under (not the places' own): one quota, whichever way it asks.
        client: quotaKeyOfSocket(ctx.extra.socket),
        sessionEvents: (filter) => openQueue(ctx.extra.socket, (release) => feed.subscribe(filter, () => letGo(ctx.extra.socket, SLOW_SUBSCRIBER_CLOSE), release)),
        liveSetTicks: () => openQueue(ctx.extra.socket, (release) => feed.subscribeLiveSet(release)),
        liveSet: () => feed.liveSet(),
      }),
      onConnect: async (ctx) => {
        const socket = ctx.extra.socket;
        // connection_init came: the socket is no longer one to evict or to time out here.
        uninitialised.delete(socket);
        const credentials = credentialsOf(ctx.connectionParams, ctx.extra.request);
        if (!authenticator.anonymous && !hasCredentials(credentials)) {
          letGo(socket, { code: CloseCode.Unauthorized, reason: 'Unauthorized: send x-api-key or authorization in connection_init' });
          return false;
        }
        const auth = await authenticator.authenticate(credentials);
        if (!auth.ok) {
          // graphql-ws closes it with 4403.
          letGo(socket);
          return false;
        }
        // Closed while authenticating: its 'close' has run, so nothing counted now would be given back.
        if (socket.readyState !== WebSocket.OPEN) return false;
        const address = addresses.get(socket) ?? 'unknown';
        rate.giveBack(address);
        const client = clientKeyOf(auth.identity, address);
        const release = places.openConnection(client);
        if (!release) {
          letGo(socket, TOO_MANY_CONNECTIONS);
          return false;
        }
        const connection: Connection = { client, quotaKey: quotaKeyOf(auth.identity, address), subscriptions: 0, queues: new Set() };
        const unwatch = options.credentials.hold(credentials, auth.identity, (why) => letGo(socket, { code: CloseCode.Forbidden, reason: credentialEndReason(why) }));
        socket.once('close', () => {
          unwatch();
          release();
          for (const queue of connection.queues) queue.end();
        });
        connections.set(socket, connection);
        return true;
      },
      onSubscribe: (ctx, id, payload) => {
        const trusted = trustedSubscribe(payload, connections.get(ctx.extra.socket)?.quotaKey ?? 'unknown', options.trust);
        if (!trusted.ok) {
          options.refusals({ transport: 'websocket', address: addresses.get(ctx.extra.socket), id, codes: [trusted.code], message: trusted.message }, 'subscribe refused');
          return [new GraphQLError(trusted.message, { extensions: { code: trusted.code } })];
        }
        const prepared = prepareSubscription({ schema: options.schema, rules, maxTokens: options.limits.maxTokens, cost: options.cost }, trusted.payload, documents);
        if (Array.isArray(prepared)) {
          options.refusals({ transport: 'websocket', address: addresses.get(ctx.extra.socket), id, codes: prepared.map((error) => error.extensions.code), message: prepared[0]?.message }, 'subscribe refused');
          return prepared;
        }
        // Parsed and validated here, with the gateway's limits: graphql-ws uses these as they are.
        const args = { schema: options.schema, document: prepared.document, operationName: prepared.operationName, variableValues: prepared.variableValues };
        destinations.set(args, { socket: ctx.extra.socket, id, operationKey: prepared.operationKey });
        return args;
      },
      // Events are written here, not yielded to graphql-ws (socket-event-writer.ts); it keeps the rest of the protocol.
      subscribe: (args) => {
        const destination = destinations.get(args);
        return subscribeShared(args, destination?.operationKey, options.eventContext, destination ? { write: events.writeTo(destination.socket, destination.id) } : {});
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
    live.keepAliveMs,
    {
      client: (socket, error) => options.refusals({ address: addresses.get(socket), reason: error.message.slice(0, 200) }, 'WebSocket protocol error from a client'),
      failure: (socket, error) => logger.error({ err: error, address: addresses.get(socket) }, 'WebSocket message not handled'),
    },
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
