import type { Socket } from 'node:net';

/** The part of a socket's libuv handle read here: bytes libuv still holds for the kernel. */
interface WriteQueue {
  readonly writeQueueSize?: unknown;
}

/**
 * Bytes `stream` holds for its peer, as a measure that falls whenever the peer takes any (and rises only when more
 * is written). `writableLength` alone does not: it counts a chunk in full until the kernel has taken all of it, so a
 * reader slowly taking one answer of several megabytes would look as if it took nothing. libuv counts down what it
 * still holds of that chunk as the kernel takes it; Node keeps that count current on the socket's handle
 * (`writeQueueSize`, read by Node's own streams, not documented), and when it is missing the measure is
 * `writableLength` alone, which is no worse than before.
 */
export function pendingBytes(stream: { readonly writableLength: number }, socket: Socket | null): number {
  const handle = (socket as { readonly _handle?: WriteQueue | null } | null)?._handle;
  const queued = typeof handle?.writeQueueSize === 'number' ? handle.writeQueueSize : 0;
  return stream.writableLength + queued;
}

/**
 * Calls `onStall` once `pending()` has not fallen for a whole `stallMs`: a reader that keeps taking bytes, however
 * slowly, is never cut, one that took none for a whole period is. Returns what stops the watch.
 */
export function watchSendProgress(pending: () => number, stallMs: number, onStall: () => void): () => void {
  let last = pending();
  let timer: NodeJS.Timeout;
  const check = (): void => {
    const now = pending();
    if (now >= last) return onStall();
    last = now;
    timer = setTimeout(check, stallMs);
  };
  timer = setTimeout(check, stallMs);
  return () => clearTimeout(timer);
}
