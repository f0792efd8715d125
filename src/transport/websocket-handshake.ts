import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { Refusal, rawErrorResponse } from './client-error';
import { hostProblem } from './host-header';

/** A refusal and the headers that go with it. */
export interface UpgradeRefusal {
  readonly refusal: Refusal;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A refused upgrade is answered like every other refusal: GraphQL's error shape, a stable code, then the socket closes. */
export function refuseUpgrade(socket: Duplex, refusal: Refusal, headers: Readonly<Record<string, string>> = {}): void {
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  socket.end(rawErrorResponse(refusal, headers));
}

/** A handshake pipelined behind requests still answered: refused after their answers, in order (it would otherwise get them inside its WebSocket). */
export const PIPELINED_UPGRADE_REFUSAL: Refusal = { status: 400, code: 'BAD_REQUEST', message: 'Not a WebSocket handshake: it came pipelined behind another request; open a connection for it.' };

/** The path of a request target in origin form (`/graphql?…`) or absolute form (`http://host/graphql`), as written (dot segments are not resolved, as fastify does not). */
function pathOf(target: string | undefined): string {
  const path = (target ?? '').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  return path.split('?')[0];
}

/** Sec-WebSocket-Protocol: tokens (RFC 9110 §5.6.2), comma-separated, each once, as ws requires. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function protocolsWellFormed(header: string | undefined): boolean {
  if (header === undefined) return true;
  const names = header.split(',').map((name) => name.trim());
  return names.every((name) => TOKEN.test(name)) && new Set(names).size === names.length;
}

/** RFC 6455 §4.1: the key is 16 random bytes in base64. */
const WEBSOCKET_KEY = /^[+/0-9A-Za-z]{22}==$/;
const WEBSOCKET_VERSIONS = ['13', '8'];

/**
 * What is wrong with an upgrade before it may take a rate token or a subscription place: an
 * invalid one answers for itself, not with "no place left". Node 20 hands every `Upgrade` to
 * the upgrade listener, so an h2c offer (curl --http2 on http://) cannot be ignored as RFC 9110
 * allows: it is refused, whatever the path. ws checks the handshake again, as it must.
 */
export function upgradeProblem(request: IncomingMessage, subscriptionsPath: string): UpgradeRefusal | undefined {
  const host = hostProblem(request);
  if (host !== undefined) return { refusal: { status: 400, code: 'BAD_REQUEST', message: host } };
  if ((request.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    return { refusal: { status: 400, code: 'BAD_REQUEST', message: 'Only WebSocket upgrades are served here (HTTP/2 only behind TLS, from a proxy in front): send the request without its Upgrade header.' } };
  }
  if (pathOf(request.url) !== subscriptionsPath) return { refusal: { status: 404, code: 'NOT_FOUND', message: `No such route: subscriptions are served at ${subscriptionsPath}.` } };
  if (request.method !== 'GET') return { refusal: { status: 405, code: 'METHOD_NOT_ALLOWED', message: 'A WebSocket handshake is a GET.' }, headers: { Allow: 'GET' } };
  const key = request.headers['sec-websocket-key'];
  if (key === undefined || !WEBSOCKET_KEY.test(key)) return { refusal: { status: 400, code: 'BAD_REQUEST', message: 'Not a WebSocket handshake: Sec-WebSocket-Key is missing or malformed.' } };
  if (!WEBSOCKET_VERSIONS.includes(request.headers['sec-websocket-version'] ?? '')) {
    return { refusal: { status: 400, code: 'BAD_REQUEST', message: 'Not a WebSocket handshake this server speaks: Sec-WebSocket-Version must be 13 or 8.' }, headers: { 'Sec-WebSocket-Version': WEBSOCKET_VERSIONS.join(', ') } };
  }
  if (!protocolsWellFormed(request.headers['sec-websocket-protocol'])) return { refusal: { status: 400, code: 'BAD_REQUEST', message: 'Not a WebSocket handshake: Sec-WebSocket-Protocol is not a list of distinct names.' } };
  return undefined;
}

/**
 * What ws itself still refuses (what upgradeProblem does not check, should ws check more) it answers
 * in text/html unless told to leave it to its owner: this answers it in the same shape as the rest.
 */
export function answerHandshakeErrors(wss: WebSocketServer): void {
  wss.on('wsClientError', (error: Error, socket: Duplex) => {
    refuseUpgrade(socket, { status: 400, code: 'BAD_REQUEST', message: `Not a WebSocket handshake this server accepts: ${error.message}.` });
  });
}
