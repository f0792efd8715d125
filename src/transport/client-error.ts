import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody } from './error-body';

export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/**
 * Node refuses a request before fastify sees it when its framing is broken, its headers (or
 * URL) are too large, or it arrives too slowly; the answer speaks GraphQL like every other.
 */
export function refusalFor(error: Error & { code?: string }): Refusal {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, code: 'CLIENT_TIMEOUT', message: 'The request did not arrive in time; send headers and body without pausing.' };
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'The request line and headers are larger than the server accepts.' };
  }
  return { status: 400, code: 'BAD_REQUEST', message: 'The request is not valid HTTP/1.1.' };
}

/** A whole HTTP/1.1 answer, for a socket Node or ws hands over before any framework answers on it. */
export function rawErrorResponse(refusal: Refusal, headers: Readonly<Record<string, string>> = {}): string {
  const body = errorBody(refusal.message, refusal.code);
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`;
}

/** fastify's `clientErrorHandler`: answers if the socket can still take it, then closes it. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // As Node and fastify do: a small write goes straight to the kernel, and a client that
  // sent a broken request gets no longer hold on the socket.
  if (socket.writable) socket.write(rawErrorResponse(refusalFor(error)));
  socket.destroy();
}
