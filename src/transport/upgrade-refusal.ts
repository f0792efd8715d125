import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { Refusal, rawErrorResponse } from './client-error';

/** A refused upgrade is answered like every other refusal: GraphQL's error shape, a stable code, then the socket closes. */
export function refuseUpgrade(socket: Duplex, refusal: Refusal, headers: Readonly<Record<string, string>> = {}): void {
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  socket.end(rawErrorResponse(refusal, headers));
}

/**
 * ws refuses a malformed handshake (not GET, an Upgrade other than websocket such as h2c, a bad
 * Sec-WebSocket-Key, Version or Protocol) in text/html unless told to leave it to its owner:
 * this answers those in the same shape, with ws's reason and the versions it speaks.
 */
export function answerHandshakeErrors(wss: WebSocketServer): void {
  wss.on('wsClientError', (error: Error, socket: Duplex) => {
    const notGet = error.message === 'Invalid HTTP method';
    refuseUpgrade(
      socket,
      { status: notGet ? 405 : 400, code: notGet ? 'METHOD_NOT_ALLOWED' : 'BAD_REQUEST', message: `Not a WebSocket handshake this server accepts: ${error.message}.` },
      { 'Sec-WebSocket-Version': '13, 8' },
    );
  });
}
