import type { IncomingMessage } from 'node:http';
import { invalidProxyEntries } from '../../src/config/proxies';
import { clientAddressOf, countedAddress, requestHostOf, trustedProxies } from '../../src/transport/client-address';

function request(remoteAddress: string, forwardedFor?: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers: { ...headers, ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }) } } as unknown as IncomingMessage;
}

describe('clientAddressOf', () => {
  const proxies = trustedProxies(['10.0.0.0/8', '192.0.2.7', 'fd00::/8']);

  it('is the socket\'s peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddressOf(request('203.0.113.5', '198.51.100.1'), trustedProxies([]))).toBe('203.0.113.5');
    expect(clientAddressOf(request('203.0.113.5', '198.51.100.1'), proxies)).toBe('203.0.113.5');
  });

  it('takes the first untrusted hop from the right behind trusted proxies', () => {
    expect(clientAddressOf(request('10.1.2.3', '198.51.100.1'), proxies)).toBe('198.51.100.1');
    // The client wrote 1.1.1.1 itself; the proxies appended what they saw.
    expect(clientAddressOf(request('10.1.2.3', '1.1.1.1, 198.51.100.1, 192.0.2.7'), proxies)).toBe('198.51.100.1');
    expect(clientAddressOf(request('::ffff:10.1.2.3', '198.51.100.1'), proxies)).toBe('198.51.100.1');
    expect(clientAddressOf(request('fd12::1', '2001:db8::9'), proxies)).toBe('2001:db8:0:0::/64');
  });

  it('counts an IPv6 client as its /64, which it can draw new addresses from at will', () => {
    expect(countedAddress('2001:db8:abcd:12:1::9')).toBe('2001:db8:abcd:12::/64');
    expect(countedAddress('2001:DB8:ABCD:0012:ffff:1:2:3')).toBe('2001:db8:abcd:12::/64');
    expect(countedAddress('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(countedAddress('::1')).toBe('0:0:0:0::/64');
    expect(countedAddress('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(countedAddress('203.0.113.5')).toBe('203.0.113.5');
    expect(clientAddressOf(request('2001:db8:1:2::7'), trustedProxies([]))).toBe(clientAddressOf(request('2001:db8:1:2:aaaa::8'), trustedProxies([])));
  });

  it('reads hops that carry the port the proxy saw, or IPv6 in brackets', () => {
    expect(clientAddressOf(request('10.1.2.3', '198.51.100.1:51234'), proxies)).toBe('198.51.100.1');
    expect(clientAddressOf(request('10.1.2.3', '[2001:db8::9]:443'), proxies)).toBe('2001:db8:0:0::/64');
    expect(clientAddressOf(request('10.1.2.3', '[2001:db8::9]'), proxies)).toBe('2001:db8:0:0::/64');
    expect(clientAddressOf(request('10.1.2.3', '198.51.100.1:51234, 192.0.2.7:80'), proxies)).toBe('198.51.100.1');
    expect(clientAddressOf(request('10.1.2.3', '198.51.100.1:port'), proxies)).toBe('10.1.2.3');
  });

  it('stays at the last trusted hop when the header is missing, garbled or all trusted', () => {
    expect(clientAddressOf(request('10.1.2.3'), proxies)).toBe('10.1.2.3');
    expect(clientAddressOf(request('10.1.2.3', 'not-an-address, 198.51.100.1'), proxies)).toBe('198.51.100.1');
    expect(clientAddressOf(request('10.1.2.3', 'not-an-address'), proxies)).toBe('10.1.2.3');
    expect(clientAddressOf(request('10.1.2.3', '10.9.9.9'), proxies)).toBe('10.9.9.9');
  });
});

describe('TRUSTED_PROXIES entries', () => {
  it('names those that are no address or CIDR', () => {
    expect(invalidProxyEntries(['10.0.0.0/8', '::1', '192.0.2.7', 'fd00::/8'])).toEqual([]);
    expect(invalidProxyEntries(['10.0.0.0/33', 'proxy.local', '10.0.0.1/8/1', '::1/129', '10.0.0.0/x'])).toEqual(['10.0.0.0/33', 'proxy.local', '10.0.0.1/8/1', '::1/129', '10.0.0.0/x']);
    expect(() => trustedProxies(['proxy.local'])).toThrow('TRUSTED_PROXIES holds entries that are no address or CIDR: proxy.local');
  });
});

describe('requestHostOf', () => {
  it('believes X-Forwarded-Host only from a trusted proxy', () => {
    const proxies = trustedProxies(['10.0.0.0/8']);
    const headers = { host: 'gateway:4000', 'x-forwarded-host': 'app.example, inner' };
    expect(requestHostOf(request('10.1.2.3', undefined, headers), proxies)).toBe('app.example');
    expect(requestHostOf(request('203.0.113.5', undefined, headers), proxies)).toBe('gateway:4000');
    expect(requestHostOf(request('10.1.2.3', undefined, { host: 'gateway:4000' }), proxies)).toBe('gateway:4000');
  });
});
