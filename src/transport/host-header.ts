import type { IncomingMessage } from 'node:http';

/**
 * RFC 9112 §3.2: an HTTP/1.1 request carries exactly one Host header, and no request carries
 * several. Node's own check answers without a body and lets a second Host through (it keeps the
 * first), so the gateway checks itself, on requests and on upgrades alike.
 */
export function hostProblem(request: IncomingMessage): string | undefined {
  let hosts = 0;
  for (let at = 0; at < request.rawHeaders.length; at += 2) if (request.rawHeaders[at].toLowerCase() === 'host') hosts += 1;
  if (hosts > 1) return 'A request carries one Host header, not several.';
  if (hosts === 0 && !(request.httpVersionMajor === 1 && request.httpVersionMinor === 0)) return 'An HTTP/1.1 request needs a Host header.';
  return undefined;
}
