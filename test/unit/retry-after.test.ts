import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/zoom/retry-after';

const NOW = Date.parse('2026-11-27T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
  });
  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Fri, 27 Nov 2026 12:00:30 GMT', NOW)).toBe(30_000);
  });
  it('reads an ISO-8601 timestamp, as Zoom sends for the daily limit', () => {
    expect(parseRetryAfter('2026-11-28T00:00:00Z', NOW)).toBe(12 * 3600 * 1000);
    expect(parseRetryAfter('2026-11-27T12:00:05.500Z', NOW)).toBe(5500);
  });
  it('cuts a wait longer than a day and an hour to that: it is not Zoom\'s, and would shut a label out for good', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(25 * 3600 * 1000);
    expect(parseRetryAfter('99999999999999999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('9999-12-31T00:00:00Z', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('90000', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('89999', NOW)).toBe(89_999_000);
  });
  it('never returns a negative wait for a time already past', () => {
    expect(parseRetryAfter('2026-11-27T11:00:00Z', NOW)).toBe(0);
  });
  it('gives no hint when absent or garbage', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
    expect(parseRetryAfter('1.5', NOW)).toBeUndefined();
    expect(parseRetryAfter('2026-13-45T99:00:00Z', NOW)).toBeUndefined();
  });
});
