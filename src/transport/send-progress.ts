import type { Socket } from 'node:net';

/** The part of a socket's libuv handle read here: bytes libuv still holds for the kernel. */
interface WriteQueue {
  readonly writeQueueSize?: unknown;
}

/** What a stream still holds for its peer, in the two places it is held. */
export interface SendState {
  /** Bytes written and not yet fully handed to the kernel, counted a whole write at a time (`writableLength`). */
  readonly unsent: number;
  /** What libuv still holds of the writes it was given, counted down byte by byte as the kernel takes them. */
  readonly queued: number;
}

/**
 * `writableLength` alone counts a write in full until the kernel has taken all of it, so a reader slowly taking one
 * answer of several megabytes would look as if it took nothing; libuv counts down what it holds of that write as the
 * kernel takes it. Node keeps that count current on the socket's handle (`writeQueueSize`, undocumented, and what
 * Node's own socket timeout reads to see a write in progress); without a handle it is 0.
 */
export function sendState(stream: { readonly writableLength: number }, socket: Socket | null): SendState {
  const handle = (socket as { readonly _handle?: WriteQueue | null } | null)?._handle;
  return { unsent: stream.writableLength, queued: typeof handle?.writeQueueSize === 'number' ? handle.writeQueueSize : 0 };
}

/**
 * Calls `onStall` once neither count of `state()` has fallen for a whole `stallMs`: a reader that keeps taking bytes,
 * however slowly, is never cut (as nginx's `send_timeout`, a limit between two writes, not on the whole answer), one
 * that took none for a whole period is. The two are compared apart: when a write completes, Node hands libuv all that
 * waited behind it at once, so `queued` may rise as `unsent` falls. Returns what stops the watch; the timer does not
 * hold the process open.
 */
export function watchSendProgress(state: () => SendState, stallMs: number, onStall: () => void): () => void {
  let last = state();
  let timer: NodeJS.Timeout;
  const check = (): void => {
    const now = state();
    if (now.unsent >= last.unsent && now.queued >= last.queued) return onStall();
    last = now;
    timer = setTimeout(check, stallMs).unref();
  };
  timer = setTimeout(check, stallMs).unref();
  return () => clearTimeout(timer);
}
