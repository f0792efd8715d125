import { originAllowed } from '../../src/transport/origin';
import { rateLimitedLog } from '../../src/rate-limited-log';
import { UninitialisedSockets } from '../../src/transport/uninitialised-sockets';
import { UpgradeRate } from '../../src/transport/upgrade-rate';

describe('UpgradeRate', () => {
  it('allows a burst, then the rate; a token given back is a socket that authenticated', () => {
    let now = 0;
    const rate = new UpgradeRate(3, 2, 100, () => now);
    expect([rate.take('a'), rate.take('a'), rate.take('a'), rate.take('a')]).toEqual([true, true, true, false]);
    expect(rate.take('b')).toBe(true);
    expect(rate.retryAfterSeconds('a')).toBe(1);
    now = 500;
    expect([rate.take('a'), rate.take('a')]).toEqual([true, false]);
    rate.giveBack('a');
    expect(rate.take('a')).toBe(true);
  });

  it('remembers at most maxAddresses, forgetting the least recently seen', () => {
    const rate = new UpgradeRate(1, 0.001, 2, () => 0);
    rate.take('a');
    rate.take('b');
    rate.take('c');
    expect(rate.take('a')).toBe(true);
    expect(rate.take('c')).toBe(false);
  });
});

describe('UninitialisedSockets', () => {
  it('says which are beyond the share per address and in all, and evicts the oldest', () => {
    const sockets = new UninitialisedSockets<string>(2, 3);
    expect([sockets.add('a1', 'a'), sockets.add('a2', 'a'), sockets.add('a3', 'a')]).toEqual([false, false, true]);
    expect(sockets.add('b1', 'b')).toBe(true);
    expect(sockets.delete('a2')).toBe(true);
    expect(sockets.delete('a2')).toBe(false);
    expect(sockets.evictOldest()).toBe('a1');
    expect(sockets.evictOldest()).toBe('a3');
    expect(sockets.add('a4', 'a')).toBe(false);
    expect(sockets.size).toBe(2);
  });
});

describe('originAllowed', () => {
  it('takes no Origin, listed origins, the gateway\'s own, and any with *; refuses the rest', () => {
    const list = ['https://app.example'];
    expect(originAllowed(undefined, 'gw:4000', list)).toBe(true);
    expect(originAllowed('https://app.example', 'gw:4000', list)).toBe(true);
    expect(originAllowed('http://gw:4000', 'gw:4000', list)).toBe(true);
    expect(originAllowed('https://evil.example', 'gw:4000', list)).toBe(false);
    expect(originAllowed('null', 'gw:4000', list)).toBe(false);
    expect(originAllowed('https://evil.example', 'gw:4000', [])).toBe(false);
    expect(originAllowed('https://evil.example', 'gw:4000', ['*'])).toBe(true);
  });

  it('reads a port of * as any port of that scheme and host, or none', () => {
    const loopback = ['http://localhost:*', 'http://[::1]:*'];
    expect(['http://localhost:5173', 'http://localhost', 'http://[::1]:3000'].map((origin) => originAllowed(origin, 'gw:4000', loopback))).toEqual([true, true, true]);
    expect(
      ['https://localhost:5173', 'http://localhost.evil.example', 'http://localhost:5173.evil.example', 'http://localhost:', 'http://localhost:999999', 'http://evil.example:5173'].map((origin) =>
        originAllowed(origin, 'gw:4000', loopback),
      ),
    ).toEqual([false, false, false, false, false, false]);
  });
});

describe('rateLimitedLog', () => {
  it('writes at most perWindow lines a window, then says how many it left out', () => {
    let now = 0;
    const written: [Record<string, unknown>, string][] = [];
    const log = rateLimitedLog((details, message) => written.push([details, message]), 2, 1_000, () => now);
    for (let i = 0; i < 5; i++) log({ i }, 'refused');
    now = 1_000;
    log({ i: 5 }, 'refused');
    expect(written).toEqual([[{ i: 0 }, 'refused'], [{ i: 1 }, 'refused'], [{ i: 5, suppressedBefore: 3 }, 'refused']]);
  });
});
