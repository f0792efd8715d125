import { WEBHOOK_REPLAY_WINDOW_MS, checkWebhookSignature, urlValidationAnswer, webhookSignature } from '../../src/live/webhook-signature';

const SECRET = 'secret-token-for-tests';
const TIMESTAMP = '1764578400';
const BODY = Buffer.from('{"event":"session.started"}');
const SIGNATURE = 'v0=aafbb97b4a6c85fe25eb65d3bd14bc8ead624b7d91eb0e2ce9201c529a918f98';
const NOW = 1764578400_000;

describe('Zoom webhook signatures', () => {
  it('signs v0:{timestamp}:{raw body} with HMAC-SHA256, hex, prefixed v0=', () => {
    expect(webhookSignature(SECRET, TIMESTAMP, BODY)).toBe(SIGNATURE);
  });

  it('accepts the right signature within the replay window, on either side of now', () => {
    expect(checkWebhookSignature(SECRET, { signature: SIGNATURE, timestamp: TIMESTAMP, rawBody: BODY }, NOW)).toEqual({ ok: true });
    expect(checkWebhookSignature(SECRET, { signature: SIGNATURE, timestamp: TIMESTAMP, rawBody: BODY }, NOW + WEBHOOK_REPLAY_WINDOW_MS)).toEqual({ ok: true });
    expect(checkWebhookSignature(SECRET, { signature: SIGNATURE, timestamp: TIMESTAMP, rawBody: BODY }, NOW - WEBHOOK_REPLAY_WINDOW_MS)).toEqual({ ok: true });
  });

  it('refuses a stale or future timestamp even with a right signature', () => {
    expect(checkWebhookSignature(SECRET, { signature: SIGNATURE, timestamp: TIMESTAMP, rawBody: BODY }, NOW + WEBHOOK_REPLAY_WINDOW_MS + 1_000)).toEqual({ ok: false, reason: 'the timestamp is outside the replay window' });
    expect(checkWebhookSignature(SECRET, { signature: SIGNATURE, timestamp: TIMESTAMP, rawBody: BODY }, NOW - WEBHOOK_REPLAY_WINDOW_MS - 1_000)).toEqual({ ok: false, reason: 'the timestamp is outside the replay window' });
  });

  it('refuses a body changed by one byte, re-serialised JSON, another secret, a truncated or missing signature', () => {
    const refuse = (signature: string | undefined, rawBody: Buffer, secret = SECRET, timestamp: string | undefined = TIMESTAMP) =>
      checkWebhookSignature(secret, { signature, timestamp, rawBody }, NOW).ok;
    expect(refuse(SIGNATURE, Buffer.from('{"event":"session.ended"}'))).toBe(false);
    expect(refuse(SIGNATURE, Buffer.from('{ "event": "session.started" }'))).toBe(false);
    expect(refuse(SIGNATURE, BODY, 'another-secret')).toBe(false);
    expect(refuse(SIGNATURE.slice(0, -1), BODY)).toBe(false);
    expect(refuse(SIGNATURE.toUpperCase(), BODY)).toBe(false);
    expect(refuse(undefined, BODY)).toBe(false);
    expect(checkWebhookSignature(SECRET, { signature: SIGNATURE, timestamp: undefined, rawBody: BODY }, NOW).ok).toBe(false);
    expect(refuse(SIGNATURE, BODY, SECRET, '1764578400.5')).toBe(false);
  });

  it('answers url_validation with HMAC-SHA256(secret, plainToken) in hex', () => {
    expect(urlValidationAnswer(SECRET, 'plain-token-1')).toEqual({
      plainToken: 'plain-token-1',
      encryptedToken: '35a63bcf414dc92649d42a2943eb0bcb108d85411b64b2081372f0ee706292ae',
    });
  });
});
