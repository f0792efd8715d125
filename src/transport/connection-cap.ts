import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A connection that is idle between requests or still sending one (headers, or a body not yet
 * whole) holds up to a body's worth of memory (HTTP_BODY_LIMIT_BYTES) for as long as the timeouts
 * let it: one address holding 12,000 unfinished bodies held 930 MB. Such connections are capped in
 * number: past the cap, the one that has waited longest is closed. A connection whose request has
 * arrived whole and is being answered (a client waiting on its answer, an event stream) is not
 * counted, and returns to the count when its answer ends. So the slowest senders make room, not the
 * clients being served; and since no address is refused, thousands of users behind one proxy are
 * not either.
 */
export class ConnectionCap {
  /** Idle or still sending, in the order they became so: the first has waited longest. */
  private readonly waiting = new Set<Socket>();
  private readonly answering = new Set<Socket>();
  /** Each socket's request being answered, so that a body read to its end after its answer moves nothing. */
  private readonly current = new WeakMap<Socket, IncomingMessage>();
  private closedForRoom = 0;

  constructor(private readonly max: number) {}

  /** A new connection: it waits for its first request. */
  admit(socket: Socket): void {
    socket.once('close', () => {
      this.waiting.delete(socket);
      this.answering.delete(socket);
    });
    this.toWaiting(socket);
  }

  /** The socket's request is being answered: once it has arrived whole, the connection leaves the count until the answer ends. */
  answerStarted(socket: Socket, request: IncomingMessage): void {
    this.current.set(socket, request);
    if (request.complete) {
      this.toAnswering(socket);
      return;
    }
    // Read to its end by the route (a body not read is answered, and the answer's end brings the socket back).
    request.once('end', () => {
      if (this.current.get(socket) === request) this.toAnswering(socket);
    });
  }

  /** The answer ended and the connection stays open: it waits for the next request. */
  answerEnded(socket: Socket): void {
    this.current.delete(socket);
    if (!socket.destroyed && (this.waiting.has(socket) || this.answering.has(socket))) this.toWaiting(socket);
  }

  /** The connection left HTTP (a WebSocket upgrade), counted from then on by its own admission. */
  release(socket: Socket): void {
    this.waiting.delete(socket);
    this.answering.delete(socket);
  }

  /** Connections closed so far to make room for others. */
  get closed(): number {
    return this.closedForRoom;
  }

  /** Connections counted now (idle or still sending). */
  get size(): number {
    return this.waiting.size;
  }

  private toAnswering(socket: Socket): void {
    if (socket.destroyed || !this.waiting.delete(socket)) return;
    this.answering.add(socket);
  }

  private toWaiting(socket: Socket): void {
    this.answering.delete(socket);
    // To the end: its wait starts now.
    this.waiting.delete(socket);
    while (this.waiting.size >= this.max) {
      const oldest = this.waiting.values().next().value as Socket;
      this.waiting.delete(oldest);
      this.closedForRoom += 1;
      oldest.destroy();
    }
    this.waiting.add(socket);
  }
}
