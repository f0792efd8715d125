/**
 * One subscriber's events between the bus and its socket. The bus never waits for a subscriber:
 * a subscriber whose buffer is full is too slow and is dropped (`onOverflow`), so it can neither
 * slow the others nor grow memory.
 */
export class SubscriberQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private closed = false;

  /**
   * `coalesce`: in a full buffer the newest item takes the last one's place (for ticks that stand
   * for "the state changed": the newest is the one to answer); otherwise a full buffer drops the subscriber.
   */
  constructor(
    private readonly capacity: number,
    private readonly onOverflow: () => void,
    private readonly onClose: () => void,
    private readonly whenFull: 'drop-subscriber' | 'coalesce' = 'drop-subscriber',
  ) {}

  get size(): number {
    return this.buffer.length;
  }

  /** The next item would overflow it (a coalescing queue never overflows). */
  get full(): boolean {
    return this.whenFull === 'drop-subscriber' && !this.closed && !this.waiting && this.buffer.length >= this.capacity;
  }

  push(item: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    if (this.buffer.length >= this.capacity) {
      if (this.whenFull === 'coalesce') {
        this.buffer[this.buffer.length - 1] = item;
        return;
      }
      this.finish();
      this.onOverflow();
      return;
    }
    this.buffer.push(item);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift() as T, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Drops the subscriber if its buffer is full (it has not read for a while): as an overflow would, without waiting for an item it would take. */
  dropIfFull(): void {
    if (!this.full) return;
    this.finish();
    this.onOverflow();
  }

  /** Ends the iteration: a waiting `next` resolves done, buffered events are dropped. */
  end(): void {
    this.finish();
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer.length = 0;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.({ value: undefined, done: true });
    this.onClose();
  }
}
