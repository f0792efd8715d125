import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { invalidProxyEntries, plainAddress as plain } from '../config/proxies';

/** The reverse proxies whose X-Forwarded-For is believed; anyone else could write any address there. */
export interface TrustedProxies {
  has(address: string): boolean;
}

/** Builds the set from TRUSTED_PROXIES' entries; throws on an entry that is no address or CIDR. */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const invalid = invalidProxyEntries(entries);
  if (invalid.length > 0) throw new Error(`TRUSTED_PROXIES holds entries that are no address or CIDR: ${invalid.join(', ')}`);
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    const ip = plain(address);
    const type = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(bits), type);
  }
  return {
    has(address: string): boolean {
      const ip = plain(address);
      const family = isIP(ip);
      return family !== 0 && list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * One X-Forwarded-For entry as an address: some proxies append the port they saw (Azure's
 * Application Gateway writes `203.0.113.5:51234`) or bracket IPv6 (`[2001:db8::1]:443`).
 */
function hopAddress(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) return plain(bracketed[1]);
  const withPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(hop);
  return plain(withPort ? withPort[1] : hop);
}

/**
 * An IPv6 address as the /64 it belongs to: one subscriber line gets a whole /64 and may draw a new address
 * from it at will, so a guard keyed on the full address would count one client as thousands. IPv4 as is.
 */
export function countedAddress(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':')).flatMap((group) => {
    // An embedded IPv4 (64:ff9b::192.0.2.1) stands for the last two groups.
    if (!group.includes('.')) return [group];
    const [a, b, c, d] = group.split('.').map(Number);
    return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
  });
  const left = groups(head);
  const right = address.includes('::') ? groups(tail) : [];
  const all = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${all.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * The address a client is counted under. Behind a trusted proxy, X-Forwarded-For is read from
 * the right: each trusted hop appended the address it saw, so the first untrusted one is the
 * client; entries left of it were written by the client and prove nothing. IPv6: its /64.
 */
export function clientAddressOf(request: IncomingMessage, proxies: TrustedProxies): string {
  return countedAddress(peerAddressOf(request, proxies));
}

function peerAddressOf(request: IncomingMessage, proxies: TrustedProxies): string {
  let address = plain(request.socket.remoteAddress ?? 'unknown');
  if (!proxies.has(address)) return address;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((hop) => hopAddress(hop.trim())).filter((hop) => hop !== '');
  for (let index = hops.length - 1; index >= 0; index--) {
    if (isIP(hops[index]) === 0) return address;
    address = hops[index];
    if (!proxies.has(address)) return address;
  }
  return address;
}

/**
 * Every host name a request was sent under, as far as the gateway can tell: its Host and, from a
 * trusted proxy, each entry of X-Forwarded-Host. Any of them may have been written by a client (a
 * proxy may pass the header on or append to it), so a check that must hold for the browser's name
 * holds for all of them.
 */
export function requestHostNamesOf(request: IncomingMessage, proxies: TrustedProxies): (string | undefined)[] {
  const { host } = request.headers;
  if (!proxies.has(plain(request.socket.remoteAddress ?? ''))) return [host];
  const forwarded = request.headers['x-forwarded-host'];
  const entries = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  return [host, ...entries];
}

/**
 * The host the client asked for: behind a trusted proxy that rewrites Host, the one it forwards
 * in X-Forwarded-Host (its first entry: the host the browser used), so the gateway still knows
 * its own origin.
 */
export function requestHostOf(request: IncomingMessage, proxies: TrustedProxies): string | undefined {
  const forwarded = request.headers['x-forwarded-host'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  if (first && proxies.has(plain(request.socket.remoteAddress ?? ''))) return first;
  return request.headers.host;
}
