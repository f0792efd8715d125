import type { Socket } from 'node:net';

/**
 * A connection that is sending (headers or a body not yet whole) or waiting between requests holds
 * up to a body's worth of memory (HTTP_BODY_LIMIT_BYTES) for as long as the timeouts let it: one
 * address holding 12,000 unfinished bodies held 930 MB. The count of open connections is capped:
 * a new one past the cap closes the oldest connection that is idle or still sending, never one
 * whose request has arrived whole and is being answered (a client waiting on its answer, an event
 * stream). So the slowest senders make room, not the clients being served; and since no address is
 * refused, thousands of users behind one proxy are not either.
 */
export class ConnectionCap {
  /** Open connections, oldest first, and what each one costs: tested only when room is needed. */
  private readonly open = new Map<Socket, () => boolean>();
  private closedForRoom = 0;

  constructor(private readonly max: number) {}

  /** Counts a new connection (making room first); `busy` says whether its request is whole and being answered. */
  admit(socket: Socket, busy: () => boolean): void {
    if (this.open.size >= this.max) this.makeRoom();
    this.open.set(socket, busy);
    socket.once('close', () => this.open.delete(socket));
  }

  /** The connection left HTTP (a WebSocket upgrade, an event stream), each governed by its own admission. */
  release(socket: Socket): void {
    this.open.delete(socket);
  }

  /** Connections closed so far to make room for newer ones. */
  get closed(): number {
    return this.closedForRoom;
  }

  get size(): number {
    return this.open.size;
  }

  private makeRoom(): void {
    // Oldest first; when every connection is being answered, nothing is closed, and the new one is let in (its
    // cost then is that of an answer, bounded by the request timeout and the other limits).
    for (const [socket, busy] of this.open) {
      if (busy()) continue;
      this.open.delete(socket);
      this.closedForRoom += 1;
      socket.destroy();
      return;
    }
  }
}
