import { IncomingMessage, RequestListener, Server, ServerResponse, createServer } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { rawErrorResponse } from './client-error';
import { ConnectionCap } from './connection-cap';
import { errorBody } from './error-body';
import { sendState, watchSendProgress } from './send-progress';

/** What one client connection may cost the gateway while it sends slowly or stops reading. */
export interface ConnectionLimits {
  /** Request headers must be complete this long after the request (or connection) started. */
  readonly headersTimeoutMs: number;
  /** The whole request, headers and body, must have arrived this long after it started. */
  readonly bodyTimeoutMs: number;
  /** An answer the client does not take within this long (it stopped reading) closes its socket. */
  readonly sendStallTimeoutMs: number;
  /** Pipelined requests one socket may have waiting behind the one being answered; more closes it. */
  readonly maxPipelinedRequests: number;
  /** Unsent answer bytes a socket may hold before the next pipelined request waits for it to drain. */
  readonly maxUnsentBytes: number;
  /** Connections idle or still sending a request past which the one that waited longest is closed (connection-cap.ts). */
  readonly maxConnections: number;
}

/** Above the 60 s idle timeout of common load balancers (AWS ALB), so that they close first; fastify's own default. */
export const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/**
 * Node checks header and body deadlines on a timer: a tenth of the shorter limit keeps the
 * effective limit within 10% of the configured one, and a second at most bounds the cost of
 * walking every connection.
 */
export function connectionsCheckingIntervalMs(limits: Pick<ConnectionLimits, 'headersTimeoutMs' | 'bodyTimeoutMs'>): number {
  return Math.max(10, Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.bodyTimeoutMs) / 10)));
}

interface Pipeline {
  answering: boolean;
  waitingForDrain: boolean;
  readonly waiting: [IncomingMessage, ServerResponse][];
  /** Run once every request taken has been answered (a CONNECT or upgrade that came behind them). */
  afterAnswers?: () => void;
}

const PIPELINE = Symbol('pipeline');
type PipelinedSocket = Socket & { [PIPELINE]?: Pipeline };
const CAP = Symbol('connection cap');
type CappedSocket = Socket & { [CAP]?: ConnectionCap };

/**
 * A socket answers its pipelined requests one at a time, and takes the next only once what it
 * holds unsent is under the limit: a client that sends many requests and reads no answer pins
 * one answer, not hundreds. Node has already parsed what such a client sent, so past
 * `maxPipelinedRequests` waiting the socket is closed; an answer that stalls is cut by a timer.
 */
function pipelineGate(handler: RequestListener, limits: ConnectionLimits): RequestListener {
  const next = (socket: PipelinedSocket, pipeline: Pipeline): void => {
    if (pipeline.answering || pipeline.waitingForDrain || socket.destroyed) return;
    const request = pipeline.waiting.shift();
    if (request === undefined) {
      const then = pipeline.afterAnswers;
      pipeline.afterAnswers = undefined;
      return then?.();
    }
    if (socket.writableLength > limits.maxUnsentBytes) {
      pipeline.waiting.unshift(request);
      pipeline.waitingForDrain = true;
      socket.once('drain', () => {
        pipeline.waitingForDrain = false;
        next(socket, pipeline);
      });
      return;
    }
    const [req, res] = request;
    pipeline.answering = true;
    let stopWatch = (): void => undefined;
    // 'prefinish': the gateway has written the whole answer; 'finish': the socket has handed it all to the kernel.
    // A slow reader that keeps taking bytes is not cut, only one that took none for a whole period.
    res.once('prefinish', () => {
      // A handler may end its answer after the socket is gone ('close' came first): nothing to watch then.
      if (socket.destroyed) return;
      stopWatch = watchSendProgress(() => sendState(socket, socket), limits.sendStallTimeoutMs, () => socket.destroy());
    });
    res.once('close', () => {
      stopWatch();
      pipeline.answering = false;
      (socket as CappedSocket)[CAP]?.answerEnded(socket);
      next(socket, pipeline);
    });
    (socket as CappedSocket)[CAP]?.answerStarted(socket, req);
    handler(req, res);
  };
  return (req, res) => {
    const socket: PipelinedSocket = req.socket;
    if (socket.destroyed) return;
    let pipeline = socket[PIPELINE];
    if (pipeline === undefined) {
      const created: Pipeline = { answering: false, waitingForDrain: false, waiting: [] };
      socket.once('close', () => {
        created.waiting.length = 0;
        created.afterAnswers = undefined;
      });
      pipeline = socket[PIPELINE] = created;
    }
    if (pipeline.waiting.length >= limits.maxPipelinedRequests) {
      pipeline.waiting.length = 0;
      socket.destroy();
      return;
    }
    pipeline.waiting.push([req, res]);
    next(socket, pipeline);
  };
}

/**
 * The HTTP server under fastify (its `serverFactory`), with every connection limit in force as
 * configured; `methods` is what its routes take, named to a client that sends CONNECT.
 */
export function createHttpServer(handler: RequestListener, limits: ConnectionLimits, methods: readonly string[]): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.bodyTimeoutMs,
      connectionsCheckingInterval: connectionsCheckingIntervalMs(limits),
      // Node's own refusal has no body; requireHost (well-formed-input.ts) refuses in GraphQL's shape.
      requireHostHeader: false,
    },
    pipelineGate(handler, limits),
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  const cap = new ConnectionCap(limits.maxConnections);
  server.on('connection', (socket: CappedSocket) => {
    socket[CAP] = cap;
    cap.admit(socket);
  });
  server.on('checkExpectation', refuseExpectation);
  // Node closes a CONNECT (a proxy tunnel) without a word when no one listens for it.
  server.on('connect', (_request: IncomingMessage, socket: Socket) => {
    socket.on('error', () => socket.destroy());
    // Pipelined behind requests still answered, the refusal follows their answers, in order.
    afterAnswers(socket, () => socket.end(rawErrorResponse({ status: 405, code: 'METHOD_NOT_ALLOWED', message: 'This is no proxy: CONNECT is not served.' }, { Allow: methods.join(', ') })));
  });
  return server;
}

/** The connection is no longer counted by its server's cap: it left HTTP (a WebSocket), with an admission of its own. */
export function leaveConnectionCap(socket: Duplex): void {
  if (socket instanceof Socket) (socket as CappedSocket)[CAP]?.release(socket);
}

/** Whether an HTTP request on this socket is still answered or waiting: an upgrade pipelined behind it must not be taken. */
export function requestInFlight(socket: Socket): boolean {
  const pipeline = (socket as PipelinedSocket)[PIPELINE];
  return pipeline !== undefined && (pipeline.answering || pipeline.waiting.length > 0);
}

/** Runs `then` once the socket has answered every request it took: at once when it has none in flight. */
export function afterAnswers(socket: Socket, then: () => void): void {
  const pipeline = (socket as PipelinedSocket)[PIPELINE];
  if (pipeline === undefined || !requestInFlight(socket)) return then();
  pipeline.afterAnswers = then;
}

/** An `Expect` other than 100-continue (which Node answers itself): Node's own 417 has no body. */
function refuseExpectation(_request: IncomingMessage, response: ServerResponse): void {
  const body = errorBody('Only "Expect: 100-continue" is understood here.', 'EXPECTATION_FAILED');
  response.writeHead(417, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
  response.end(body);
}
