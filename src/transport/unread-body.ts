import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * How long the body of a request refused before reading it may keep arriving after the refusal.
 * Closing at once would leave the rest of the body unread in the kernel, which then resets the
 * connection, and a client still sending could lose the refusal it had not read yet (the reason
 * for nginx's lingering close). Node reads and drops the body meanwhile; a body that ends in time
 * leaves the connection open for the next request.
 */
export const UNREAD_BODY_LINGER_MS = 1_000;
/** And at most this much of it: what kernel buffers and a client's last writes hold, not an upload of any size. */
export const UNREAD_BODY_LINGER_BYTES = 4 * 1024 * 1024;

/** Whether a request declares a body. */
function declaresBody(request: FastifyRequest): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}

/** How often the bytes dropped are counted: Node drops a refused body without handing it to anyone. */
const LINGER_CHECK_MS = 10;

/**
 * For a refusal sent before the body is read: the body still on its way may arrive for
 * UNREAD_BODY_LINGER_MS after the answer, up to about UNREAD_BODY_LINGER_BYTES (counted every
 * LINGER_CHECK_MS on the socket), then the connection closes.
 */
export function lingerOnUnreadBody(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = request.raw;
  if (body.complete || !declaresBody(request)) return reply;
  reply.raw.once('finish', () => {
    const { socket } = body;
    if (body.complete || socket.destroyed) return;
    const readBefore = socket.bytesRead;
    const lingerEnds = setTimeout(() => socket.destroy(), UNREAD_BODY_LINGER_MS);
    const count = setInterval(() => {
      if (socket.bytesRead - readBefore > UNREAD_BODY_LINGER_BYTES) socket.destroy();
    }, LINGER_CHECK_MS);
    const settled = (): void => {
      clearTimeout(lingerEnds);
      clearInterval(count);
    };
    body.once('end', settled);
    socket.once('close', settled);
  });
  return reply;
}
