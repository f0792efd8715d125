import { isIP } from 'node:net';

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is the IPv4 address it carries. */
export function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** Entries of TRUSTED_PROXIES (addresses or CIDRs) that are neither: each is a configuration error. */
export function invalidProxyEntries(entries: readonly string[]): string[] {
  return entries.filter((entry) => {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(plainAddress(address));
    if (family === 0 || extra !== undefined) return true;
    if (bits === undefined) return false;
    const prefix = Number(bits);
    return !/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128);
  });
}

