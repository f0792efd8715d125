/**
 * The forms REDIS_URL takes. `redis://` and `rediss://` are ioredis's own (one server). Sentinel and
 * Cluster have no standard URL (ioredis declined to invent one: redis/ioredis#557, #910), so these follow
 * the `redis+sentinel://` convention of the Python redis-sentinel-url package, also taken by Prefect and
 * RedisVL, and the same shape for a cluster:
 *
 *   redis+sentinel://[[user]:password@]host[:26379][,host[:port]…]/masterName[/db][?sentinelPassword=…]
 *   redis+cluster://[[user]:password@]host[:6379][,host[:port]…]
 *
 * `rediss+…` is the same with TLS (to the sentinels and the servers alike). The user and password are
 * the servers'; sentinels that ask for a password of their own take it as `sentinelPassword`.
 */

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

interface Credentials {
  readonly username?: string;
  readonly password?: string;
}

export type RedisTarget =
  | { readonly kind: 'server'; readonly url: string }
  | (Credentials & { readonly kind: 'sentinel'; readonly sentinels: readonly RedisNode[]; readonly masterName: string; readonly db: number; readonly tls: boolean; readonly sentinelPassword?: string })
  | (Credentials & { readonly kind: 'cluster'; readonly nodes: readonly RedisNode[]; readonly tls: boolean });

export type ParsedRedisUrl = { readonly ok: true; readonly target: RedisTarget } | { readonly ok: false; readonly problems: readonly string[] };

/** Sentinel's own port, and Redis's. */
export const SENTINEL_DEFAULT_PORT = 26379;
export const REDIS_DEFAULT_PORT = 6379;

const FORMS = 'REDIS_URL must be redis://, rediss://, redis+sentinel://, rediss+sentinel://, redis+cluster:// or rediss+cluster://.';
const SENTINEL_FORM = 'redis+sentinel://[:password@]host:26379[,host:port…]/masterName[/db]';
const CLUSTER_FORM = 'redis+cluster://[:password@]host:port[,host:port…]';

/** Every problem of the URL at once; no problem quotes the part before the hosts, where a password is. */
export function parseRedisUrl(url: string): ParsedRedisUrl {
  const scheme = /^([a-z+]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'redis' || scheme === 'rediss') {
    try {
      new URL(url);
      return { ok: true, target: { kind: 'server', url } };
    } catch {
      return { ok: false, problems: ['REDIS_URL is not a valid URL.'] };
    }
  }
  const kind = scheme === 'redis+sentinel' || scheme === 'rediss+sentinel' ? 'sentinel' : scheme === 'redis+cluster' || scheme === 'rediss+cluster' ? 'cluster' : undefined;
  if (scheme === undefined || kind === undefined) return { ok: false, problems: [FORMS] };
  const form = kind === 'sentinel' ? SENTINEL_FORM : CLUSTER_FORM;
  const problems: string[] = [];
  const rest = url.slice(scheme.length + 3);
  // The last @ ends the user and password, whatever they hold (a password's / ? or @ unescaped): nothing
  // after it is secret, and nothing before it is ever quoted.
  const at = rest.lastIndexOf('@');
  const credentials = credentialsOf(at < 0 ? undefined : rest.slice(0, at), problems);
  const [beforeQuery, query = ''] = splitOnce(rest.slice(at + 1), '?');
  const [hostList, path = ''] = splitOnce(beforeQuery, '/');
  const nodes = nodesOf(hostList, kind === 'sentinel' ? SENTINEL_DEFAULT_PORT : REDIS_DEFAULT_PORT, form, problems);
  const params = new URLSearchParams(query);
  for (const name of new Set(params.keys())) {
    if (!(kind === 'sentinel' && name === 'sentinelPassword')) problems.push(`REDIS_URL has an unknown option "${safe(name)}"${kind === 'sentinel' ? ' (sentinelPassword is the one known)' : ' (a cluster URL takes none)'}.`);
  }
  const tls = scheme.startsWith('rediss');
  if (kind === 'cluster') {
    if (path !== '') problems.push(`REDIS_URL (${scheme}://) takes no path: a cluster has no master name and only database 0; the form is ${form}.`);
    return problems.length > 0 ? { ok: false, problems } : { ok: true, target: { kind, nodes, tls, ...credentials } };
  }
  const [masterName = '', dbText, ...extra] = path.split('/');
  if (!/^[\w.\-]{1,128}$/.test(masterName)) problems.push(`REDIS_URL (${scheme}://) must name the master group after the hosts, in letters, digits or _ . -; the form is ${form}.`);
  const db = dbText === undefined || dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 9_999 || extra.length > 0) problems.push(`REDIS_URL (${scheme}://) may end in a database number after the master name, nothing more; the form is ${form}.`);
  const sentinelPassword = params.get('sentinelPassword') ?? undefined;
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, target: { kind, sentinels: nodes, masterName, db, tls, ...credentials, ...(sentinelPassword ? { sentinelPassword } : {}) } };
}

/** The URL with any user and password masked, for logs. */
export function redactedUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/).*@/i, '$1***:***@');
}

function splitOnce(text: string, separator: string): [string, string?] {
  const index = text.indexOf(separator);
  return index < 0 ? [text] : [text.slice(0, index), text.slice(index + 1)];
}

function credentialsOf(userinfo: string | undefined, problems: string[]): Credentials {
  if (userinfo === undefined) return {};
  const [user, password] = splitOnce(userinfo, ':');
  try {
    const username = decodeURIComponent(user);
    const decoded = password === undefined ? undefined : decodeURIComponent(password);
    return { ...(username ? { username } : {}), ...(decoded ? { password: decoded } : {}) };
  } catch {
    problems.push('REDIS_URL has a user or password with a broken %-escape.');
    return {};
  }
}

function nodesOf(list: string, defaultPort: number, form: string, problems: string[]): RedisNode[] {
  const nodes: RedisNode[] = [];
  if (list === '') {
    problems.push(`REDIS_URL names no host; the form is ${form}.`);
    return nodes;
  }
  for (const entry of list.split(',')) {
    // host, host:port, [v6], [v6]:port
    const match = /^(?:\[([0-9a-f:.]+)\]|([\w.\-]+))(?::(\d{1,5}))?$/i.exec(entry);
    const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
    if (!match || port < 1 || port > 65_535) {
      problems.push(`REDIS_URL has a host "${safe(entry)}" that is not host or host:port (port 1 to 65535).`);
      continue;
    }
    nodes.push({ host: match[1] ?? match[2], port });
  }
  return nodes;
}

/** Host lists and option names hold no secret, but are cut short and kept printable in a message. */
function safe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
}
