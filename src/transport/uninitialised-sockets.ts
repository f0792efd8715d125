/**
 * Sockets that have not sent connection_init yet, oldest first, counted per client address. They
 * hold a place without having shown a credential, so when places run out the oldest of them
 * gives its place to the newcomer; those beyond a share (per address or in all) get less time
 * to send connection_init. A client that sends connection_init at once leaves this set within
 * a round trip, so idle sockets can neither keep it out nor push it out.
 */
export class UninitialisedSockets<Socket> {
  private readonly sockets = new Map<Socket, string>();
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly sharePerAddress: number,
    private readonly share: number,
  ) {}

  get size(): number {
    return this.sockets.size;
  }

  /** Adds a socket; true when it is beyond its share (it should get the short wait). */
  add(socket: Socket, address: string): boolean {
    const fromAddress = this.perAddress.get(address) ?? 0;
    const beyond = fromAddress >= this.sharePerAddress || this.sockets.size >= this.share;
    this.sockets.set(socket, address);
    this.perAddress.set(address, fromAddress + 1);
    return beyond;
  }

  has(socket: Socket): boolean {
    return this.sockets.has(socket);
  }

  /** Removes a socket (it sent connection_init, closed, or was evicted); false if it was not here. */
  delete(socket: Socket): boolean {
    const address = this.sockets.get(socket);
    if (address === undefined) return false;
    this.sockets.delete(socket);
    const left = (this.perAddress.get(address) ?? 1) - 1;
    if (left <= 0) this.perAddress.delete(address);
    else this.perAddress.set(address, left);
    return true;
  }

  /** Removes and returns the oldest socket, to give its place to a newer one. */
  evictOldest(): Socket | undefined {
    const oldest = this.sockets.keys().next();
    if (oldest.done) return undefined;
    this.delete(oldest.value);
    return oldest.value;
  }
}
