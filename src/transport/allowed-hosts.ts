import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { type TrustedProxies, requestHostNamesOf } from './client-address';
import type { Refusal } from './client-error';

/**
 * DNS rebinding: a page on a name its author controls, whose address is then re-pointed at this
 * gateway, is same-origin with the gateway in the browser, so neither CORS nor the Origin check
 * stands in its way; only the Host header, which the browser fills with that name, tells. A gateway
 * that asks for credentials has nothing such a page could send. An anonymous one answers only under
 * its own names: IP addresses (a page cannot be served from one and rebound), `localhost` and its
 * subdomains (browsers resolve them to loopback themselves), the hosts of CORS_ORIGINS, and
 * ALLOWED_HOSTS. Behind a trusted proxy every name it forwards (X-Forwarded-Host) must be one of
 * them too, the Host it sent included: a rebound page can write that header (same-origin, it needs
 * no preflight), and a proxy may pass it on or append to it, so no single entry can be believed.
 */
export type HostCheck = (request: IncomingMessage) => HostRefusal | undefined;

/** The first name of a request the gateway does not answer under, and the refusal that names it. */
export interface HostRefusal {
  readonly name: string;
  readonly refusal: Refusal;
}

/** Names are told as parsed (lowercase, no port), cut short: the answer must not echo whatever a client sent. */
const NAME_TOLD_CHARS = 100;

function foreignHost(name: string): HostRefusal {
  const told = name.slice(0, NAME_TOLD_CHARS);
  return {
    name: told,
    refusal: {
      status: 403,
      code: 'FORBIDDEN',
      message: `This anonymous gateway does not answer under the host name ${JSON.stringify(told)} (a page on another site could reach it through DNS rebinding): add the name to ALLOWED_HOSTS. Behind a proxy, its Host and each X-Forwarded-Host name must be listed.`,
    },
  };
}

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

export interface HostRules {
  readonly anonymous: boolean;
  readonly allowedHosts: readonly string[];
  readonly corsOrigins: readonly string[];
}

/**
 * The names the gateway answers under beside IP addresses (a `.domain` stands for the names under
 * it), or `any`: said at start-up, so that a router or proxy reaching an anonymous gateway under a
 * service name learns from the log, not only from its 403s, what ALLOWED_HOSTS must add.
 */
export function answeredHostNames(rules: HostRules): readonly string[] | 'any' {
  if (!rules.anonymous || rules.allowedHosts.includes('*')) return 'any';
  const fromCors = rules.corsOrigins.flatMap((origin) => originHost(origin) ?? []);
  return [...new Set(['localhost', '.localhost', ...rules.allowedHosts, ...fromCors])];
}

export function hostCheck(rules: HostRules & { readonly proxies: TrustedProxies }): HostCheck {
  const answered = answeredHostNames(rules);
  if (answered === 'any') return () => undefined;
  const names = new Set(answered.filter((entry) => !entry.startsWith('.')));
  const domains = answered.filter((entry) => entry.startsWith('.'));
  const refused = (host: string | undefined): HostRefusal | undefined => {
    // HTTP/1.0 without Host: no browser sends such a request.
    if (host === undefined) return undefined;
    const name = hostNameOf(host);
    if (name === undefined) return foreignHost('(not a host name)');
    return isIP(name) !== 0 || names.has(name) || domains.some((domain) => name.endsWith(domain)) ? undefined : foreignHost(name);
  };
  return (request) => {
    for (const host of requestHostNamesOf(request, rules.proxies)) {
      const refusal = refused(host);
      if (refusal) return refusal;
    }
    return undefined;
  };
}
