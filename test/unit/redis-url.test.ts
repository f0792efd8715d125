import { loadConfig } from '../../src/config';
import { parseRedisUrl, redactedUrl } from '../../src/redis/redis-url';

describe('parseRedisUrl', () => {
  it('hands one server\'s redis:// and rediss:// URLs to ioredis as they are', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6390/2')).toEqual({ ok: true, target: { kind: 'server', url: 'redis://127.0.0.1:6390/2' } });
    expect(parseRedisUrl('rediss://:pw@cache.internal:6380')).toEqual({ ok: true, target: { kind: 'server', url: 'rediss://:pw@cache.internal:6380' } });
  });

  it('reads sentinels, the master group, the database and both passwords, with Sentinel\'s port by default', () => {
    expect(parseRedisUrl('redis+sentinel://:s%40cret@10.0.0.1,10.0.0.2:26380,[::1]:26381/mymaster/3?sentinelPassword=watch')).toEqual({
      ok: true,
      target: {
        kind: 'sentinel',
        sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: '10.0.0.2', port: 26380 }, { host: '::1', port: 26381 }],
        masterName: 'mymaster',
        db: 3,
        tls: false,
        password: 's@cret',
        sentinelPassword: 'watch',
      },
    });
    expect(parseRedisUrl('rediss+sentinel://app:pw@s1:26379/cache-primary')).toEqual({
      ok: true,
      target: { kind: 'sentinel', sentinels: [{ host: 's1', port: 26379 }], masterName: 'cache-primary', db: 0, tls: true, username: 'app', password: 'pw' },
    });
  });

  it('reads cluster nodes, with Redis\'s port by default', () => {
    expect(parseRedisUrl('redis+cluster://node-a:7000,node-b')).toEqual({ ok: true, target: { kind: 'cluster', nodes: [{ host: 'node-a', port: 7000 }, { host: 'node-b', port: 6379 }], tls: false } });
    expect(parseRedisUrl('rediss+cluster://:pw@node-a:7000/')).toEqual({ ok: true, target: { kind: 'cluster', nodes: [{ host: 'node-a', port: 7000 }], tls: true, password: 'pw' } });
  });

  it('lists every problem of a URL, never quoting its password', () => {
    const parsed = parseRedisUrl('redis+sentinel://:hunter2@good:26379,bad:99999,:1/?db=1');
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.problems;
    expect(problems).toEqual([
      'REDIS_URL has a host "bad:99999" that is not host or host:port (port 1 to 65535).',
      'REDIS_URL has a host ":1" that is not host or host:port (port 1 to 65535).',
      'REDIS_URL has an unknown option "db" (sentinelPassword is the one known).',
      'REDIS_URL (redis+sentinel://) must name the master group after the hosts, in letters, digits or _ . -; the form is redis+sentinel://[:password@]host:26379[,host:port…]/masterName[/db].',
    ]);
    expect(parseRedisUrl('redis+cluster://:hunter2@a:7000/0')).toEqual({
      ok: false,
      problems: ['REDIS_URL (redis+cluster://) takes no path: a cluster has no master name and only database 0; the form is redis+cluster://[:password@]host:port[,host:port…].'],
    });
    // An unescaped / ? or @ in a password stays on the secret side of the last @.
    const awkward = parseRedisUrl('redis+cluster://:hun/ter?2@@');
    expect(awkward).toEqual({ ok: false, problems: ['REDIS_URL names no host; the form is redis+cluster://[:password@]host:port[,host:port…].'] });
    expect(parseRedisUrl('sentinel://h/m')).toEqual({ ok: false, problems: ['REDIS_URL must be redis://, rediss://, redis+sentinel://, rediss+sentinel://, redis+cluster:// or rediss+cluster://.'] });
  });

  it('makes a bad form a start-up problem, beside the section\'s others', () => {
    const message = (() => {
      try {
        loadConfig({ REDIS_URL: 'redis+sentinel://:hunter2@s1:0', REDIS_COMMAND_TIMEOUT_MS: '1' });
      } catch (caught) {
        return (caught as Error).message;
      }
      throw new Error('loadConfig accepted a bad REDIS_URL');
    })();
    expect(message).toMatch(/REDIS_COMMAND_TIMEOUT_MS[\s\S]*REDIS_URL has a host "s1:0"[\s\S]*master group/);
    expect(message).not.toContain('hunter2');
    expect(loadConfig({ REDIS_URL: 'redis+cluster://a:7000,b:7001' }).redis).toEqual({ url: 'redis+cluster://a:7000,b:7001', keyPrefix: 'zoomgw:', commandTimeoutMs: 50 });
  });
});

describe('redactedUrl', () => {
  it('masks the user and password of every form', () => {
    expect(redactedUrl('redis://user:pw@h:6379/0')).toBe('redis://***:***@h:6379/0');
    expect(redactedUrl('redis+sentinel://:p/w@s1:26379,s2:26379/mymaster')).toBe('redis+sentinel://***:***@s1:26379,s2:26379/mymaster');
    expect(redactedUrl('redis+cluster://a:7000')).toBe('redis+cluster://a:7000');
  });
});

describe('REDIS_URL against a hostile or careless value', () => {
  it('never quotes a Sentinel password, in a problem or in the log, whatever it holds', () => {
    const secret = 'sp@SECRET?PW!';
    const url = `redis+sentinel://h1:26379,h2/mymaster?sentinelPassword=${secret}`;
    expect(parseRedisUrl(url)).toMatchObject({ ok: true, target: { kind: 'sentinel', sentinels: [{ host: 'h1', port: 26379 }, { host: 'h2', port: 26379 }], sentinelPassword: secret } });
    expect(redactedUrl(url)).toBe('redis+sentinel://h1:26379,h2/mymaster?***');
    const bad = parseRedisUrl(`redis+sentinel://:pw@h1:99999/mymaster?sentinelPassword=${secret}`);
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).not.toContain('SECRET');
    expect(redactedUrl('redis://user:pa\nss@h:6379')).toBe('redis://***:***@h:6379');
  });

  it('refuses a database that is not plain digits, a host named twice and a password given twice', () => {
    for (const url of ['redis+sentinel://h1/m/1e3', 'redis+sentinel://h1/m/0x10', 'redis+sentinel://[::1]:26379,[::1]:26379/m', 'redis+sentinel://h1/m?sentinelPassword=a&sentinelPassword=b']) {
      expect(parseRedisUrl(url).ok).toBe(false);
    }
  });

  it('quotes a few bad hosts and options, and counts the rest', () => {
    const hosts = Array.from({ length: 5_000 }, (_, i) => `bad host ${i}`).join(',');
    const many = parseRedisUrl(`redis+cluster://${hosts}`);
    expect(many.ok).toBe(false);
    if (!many.ok) expect(many.problems.length).toBeLessThanOrEqual(7);
    const options = Array.from({ length: 3_000 }, (_, i) => `o${i}=1`).join('&');
    const unknown = parseRedisUrl(`redis+cluster://h1?${options}`);
    if (!unknown.ok) expect(unknown.problems.length).toBeLessThanOrEqual(7);
    expect(unknown.ok).toBe(false);
  });
});
