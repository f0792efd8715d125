import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A caller's id is kept only if it is short and plain, so that it is safe in logs and headers. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Takes `x-request-id` when the caller sent a usable one, or makes one. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}
