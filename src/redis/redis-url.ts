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
  // The query goes first: its one option is a password, which may hold an unescaped @ or ? of its own.
  const [beforeQuery, query] = splitQuery(rest);
  // The last @ before it ends the user and password, whatever they hold (a password's / ? or @ unescaped):
  // nothing after it is secret, and nothing before it is ever quoted.
  const at = beforeQuery.lastIndexOf('@');
  const credentials = credentialsOf(at < 0 ? undefined : beforeQuery.slice(0, at), problems);
  const [hostList, path = ''] = splitOnce(beforeQuery.slice(at + 1), '/');
  const nodes = nodesOf(hostList, kind === 'sentinel' ? SENTINEL_DEFAULT_PORT : REDIS_DEFAULT_PORT, form, problems);
  const params = new URLSearchParams(query);
  const unknown = [...new Set(params.keys())].filter((name) => !(kind === 'sentinel' && name === 'sentinelPassword'));
  for (const name of unknown.slice(0, MAX_QUOTED)) problems.push(`REDIS_URL has an unknown option "${safe(name)}"${kind === 'sentinel' ? ' (sentinelPassword is the one known)' : ' (a cluster URL takes none)'}.`);
  if (unknown.length > MAX_QUOTED) problems.push(`REDIS_URL has ${unknown.length - MAX_QUOTED} more unknown options.`);
  if (params.getAll('sentinelPassword').length > 1) problems.push('REDIS_URL gives sentinelPassword more than once.');
  const tls = scheme.startsWith('rediss');
  if (kind === 'cluster') {
    if (path !== '') problems.push(`REDIS_URL (${scheme}://) takes no path: a cluster has no master name and only database 0; the form is ${form}.`);
    return problems.length > 0 ? { ok: false, problems } : { ok: true, target: { kind, nodes, tls, ...credentials } };
  }
  const [masterName = '', dbText, ...extra] = path.split('/');
  if (!/^[\w.\-]{1,128}$/.test(masterName)) problems.push(`REDIS_URL (${scheme}://) must name the master group after the hosts, in letters, digits or _ . -; the form is ${form}.`);
  const db = dbText === undefined || dbText === '' ? 0 : /^\d{1,4}$/.test(dbText) ? Number(dbText) : NaN;
  if (!Number.isInteger(db) || extra.length > 0) problems.push(`REDIS_URL (${scheme}://) may end in a database number after the master name, nothing more; the form is ${form}.`);
  const sentinelPassword = params.get('sentinelPassword') ?? undefined;
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, target: { kind, sentinels: nodes, masterName, db, tls, ...credentials, ...(sentinelPassword ? { sentinelPassword } : {}) } };
}

/** The URL with any user and password masked, for logs: the userinfo, and a Sentinel URL's query (its one option is a password). */
export function redactedUrl(url: string): string {
  const scheme = /^([a-z+]+:\/\/)/i.exec(url)?.[1];
  if (scheme === undefined) return '***';
  const [beforeQuery, query] = /\+sentinel:/i.test(scheme) ? splitQuery(url.slice(scheme.length)) : [url.slice(scheme.length), ''];
  const at = beforeQuery.lastIndexOf('@');
  return `${scheme}${at < 0 ? '' : '***:***@'}${beforeQuery.slice(at + 1)}${query === '' ? '' : '?***'}`;
}

/** Problems quoted one by one before the rest are counted: a hostile REDIS_URL cannot fill the log. */
const MAX_QUOTED = 5;

/**
 * The part before the query, and the query. The query starts at the last `?sentinelPassword=` (the
 * password may hold a `?` or an `@` of its own), or else at the first `?` after the userinfo.
 */
function splitQuery(rest: string): [string, string] {
  const option = rest.lastIndexOf('?sentinelPassword=');
  if (option >= 0) return [rest.slice(0, option), rest.slice(option + 1)];
  const question = rest.indexOf('?', rest.lastIndexOf('@') + 1);
  return question < 0 ? [rest, ''] : [rest.slice(0, question), rest.slice(question + 1)];
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
  let refused = 0;
  for (const entry of list.split(',')) {
    // host, host:port, [v6], [v6]:port
    const match = /^(?:\[([0-9a-f:.]+)\]|([\w.\-]+))(?::(\d{1,5}))?$/i.exec(entry);
    const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
    if (!match || port < 1 || port > 65_535) {
      refused += 1;
      if (refused <= MAX_QUOTED) problems.push(`REDIS_URL has a host "${safe(entry)}" that is not host or host:port (port 1 to 65535).`);
      continue;
    }
    const host = match[1] ?? match[2];
    if (nodes.some((node) => node.host === host && node.port === port)) {
      refused += 1;
      if (refused <= MAX_QUOTED) problems.push(`REDIS_URL names ${safe(entry)} twice.`);
      continue;
    }
    nodes.push({ host, port });
  }
  if (refused > MAX_QUOTED) problems.push(`REDIS_URL has ${refused - MAX_QUOTED} more hosts like those.`);
  return nodes;
}

/** Host lists and option names hold no secret, but are cut short and kept printable in a message. */
function safe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
}
