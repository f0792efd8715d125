import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Zoom signs each webhook request at send time; a request older than this is refused as a
 * replay. Zoom asks for "a few minutes" and its SDK checks none (docs/zoom-contract.md §6, H):
 * five minutes leaves room for clock skew without keeping a captured request usable for long.
 */
export const WEBHOOK_REPLAY_WINDOW_MS = 5 * 60_000;

/** Zoom's signature scheme version, the `v0` in `v0=<hex>` and in the signed message. */
const SIGNATURE_VERSION = 'v0';

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface SignedRequest {
  readonly signature: string | undefined;
  /** `x-zm-request-timestamp`: epoch seconds as Zoom sends it. */
  readonly timestamp: string | undefined;
  readonly rawBody: Buffer;
}

/** `v0=` + hex(HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`)), over the bytes as received. */
export function webhookSignature(secretToken: string, timestamp: string, rawBody: Buffer): string {
  const mac = createHmac('sha256', secretToken).update(`${SIGNATURE_VERSION}:${timestamp}:`).update(rawBody).digest('hex');
  return `${SIGNATURE_VERSION}=${mac}`;
}

/** The signature first, in constant time; then the replay window. Nothing of the body is read before. */
export function checkWebhookSignature(secretToken: string, request: SignedRequest, nowMs: number): SignatureCheck {
  const { signature, timestamp } = request;
  if (signature === undefined || timestamp === undefined) return { ok: false, reason: 'missing x-zm-signature or x-zm-request-timestamp' };
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'x-zm-request-timestamp is not epoch seconds' };
  const expected = Buffer.from(webhookSignature(secretToken, timestamp, request.rawBody));
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time the same either way.
  const same = given.length === expected.length ? timingSafeEqual(given, expected) : !timingSafeEqual(expected, expected);
  if (!same) return { ok: false, reason: 'the signature does not match' };
  if (Math.abs(nowMs - Number(timestamp) * 1000) > WEBHOOK_REPLAY_WINDOW_MS) return { ok: false, reason: 'the timestamp is outside the replay window' };
  return { ok: true };
}

/** Zoom's `endpoint.url_validation` challenge: prove we hold the secret token. */
export function urlValidationAnswer(secretToken: string, plainToken: string): { plainToken: string; encryptedToken: string } {
  return { plainToken, encryptedToken: createHmac('sha256', secretToken).update(plainToken).digest('hex') };
}
