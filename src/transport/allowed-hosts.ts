import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { type TrustedProxies, requestHostOf } from './client-address';
import type { Refusal } from './client-error';

/**
 * DNS rebinding: a page on a name its author controls, whose address is then re-pointed at this
 * gateway, is same-origin with the gateway in the browser, so neither CORS nor the Origin check
 * stands in its way; only the Host header, which the browser fills with that name, tells. A gateway
 * that asks for credentials has nothing such a page could send. An anonymous one answers only under
 * its own names: IP addresses (a page cannot be served from one and rebound), `localhost` and its
 * subdomains (browsers resolve them to loopback themselves), the hosts of CORS_ORIGINS, and
 * ALLOWED_HOSTS. Behind a trusted proxy the name is the one it forwards (X-Forwarded-Host).
 */
export type HostCheck = (request: IncomingMessage) => boolean;

export const FOREIGN_HOST_REFUSAL: Refusal = {
  status: 403,
  code: 'FORBIDDEN',
  message: 'This anonymous gateway does not answer under this host name (a page on another site could reach it through DNS rebinding): add the name to ALLOWED_HOSTS.',
};

/** The host name of a Host header (no port, lowercase, IPv6 without brackets); undefined when it is none. */
function hostNameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}/`).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return undefined;
  }
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin.replace(/:\*$/, '')).hostname;
  } catch {
    return undefined;
  }
}

export function hostCheck(options: { readonly anonymous: boolean; readonly allowedHosts: readonly string[]; readonly corsOrigins: readonly string[]; readonly proxies: TrustedProxies }): HostCheck {
  const { allowedHosts, corsOrigins, proxies } = options;
  if (!options.anonymous || allowedHosts.includes('*')) return () => true;
  const names = new Set([...allowedHosts.filter((entry) => !entry.startsWith('.')), ...corsOrigins.flatMap((origin) => originHost(origin) ?? [])]);
  const domains = [...allowedHosts.filter((entry) => entry.startsWith('.')), '.localhost'];
  return (request) => {
    const host = requestHostOf(request, proxies);
    // HTTP/1.0 without Host: no browser sends such a request.
    if (host === undefined) return true;
    const name = hostNameOf(host);
    if (name === undefined) return false;
    return isIP(name) !== 0 || name === 'localhost' || names.has(name) || domains.some((domain) => name.endsWith(domain));
  };
}
