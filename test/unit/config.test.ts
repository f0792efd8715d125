import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError, loadConfig, withEnvFile } from '../../src/config';
import { defaultMaxInFlight } from '../../src/config/zoom-budget';
import { LOOPBACK_ORIGINS } from '../../src/config/modes';
import { SANDBOX_ORIGIN } from '../../src/config/server';

/** Production refuses to serve made-up data: these stand for a deployment's Zoom credentials. */
const ZOOM = { ZOOM_VIDEOSDK_API_KEY: 'key', ZOOM_VIDEOSDK_API_SECRET: 'secret' };

describe('loadConfig', () => {
  it('starts on the simulator with defaults when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      nodeEnv: 'development', host: '127.0.0.1', port: 4000, zoom: { kind: 'simulator' },
      zoomTimeoutMs: 10_000, maxFirst: 300, cursorSecret: undefined, logLevel: 'info',
      zoomBudget: {
        listSessionsPerMinute: 20, queueMaxWaitMs: 5_000, maxCallsPerRequest: 6, maxAttempts: 3,
        breakerFailures: 5, breakerCooldownMs: 30_000, cursorRecoveryMaxCalls: 3, maxInFlight: 60, clientDailyShare: 0.1,
      },
      cache: { maxEntries: 5_000, maxBytes: 268_435_456, liveTtlMs: 30_000, recentTtlMs: 60_000, pastTtlMs: 3_600_000 },
      limits: { maxDepth: 10, maxAliases: 15, maxRootFields: 10, maxDirectives: 20, maxTokens: 2_000, maxCost: 20, maxBatch: 0 },
      auth: { anonymous: true, apiKeys: [] },
      federationSubgraph: false,
    });
    expect(loadConfig({}).http).toMatchObject({ introspection: true, explorer: 'graphiql', corsOrigins: LOOPBACK_ORIGINS, logFormat: 'pretty', shutdownDelayMs: 0, shutdownGraceMs: 35_000 });
    // Sandbox's frame calls from Apollo's origin; a list that is set is taken as it is.
    expect(loadConfig({ GRAPHQL_EXPLORER: 'sandbox' }).http.corsOrigins).toEqual([...LOOPBACK_ORIGINS, SANDBOX_ORIGIN]);
    expect(loadConfig({ GRAPHQL_EXPLORER: 'sandbox', CORS_ORIGINS: 'https://app.example' }).http.corsOrigins).toEqual(['https://app.example']);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example/,app.example,https://ok.example:*' })).toThrow('CORS_ORIGINS holds entries that are no origin (scheme://host[:port], no path or trailing slash; a port may be *): https://app.example/, app.example.');
    expect(loadConfig({ ALLOWED_HOSTS: 'Gateway.Example,.apps.example,zoom_gateway,*' }).http.allowedHosts).toEqual(['gateway.example', '.apps.example', 'zoom_gateway', '*']);
    expect(() => loadConfig({ ALLOWED_HOSTS: 'https://gw.example,gw.example:4000,ok.example,*.example' })).toThrow('ALLOWED_HOSTS holds entries that are no host name (name, .domain for its names, or *; no port or scheme): https://gw.example, gw.example:4000, *.example.');
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: '10000' })).toThrow('SHUTDOWN_GRACE_MS (10000) must be at least SHUTDOWN_DELAY_MS + REQUEST_TIMEOUT_MS (30000).');
  });

  it('closes introspection and the landing page in production, and asks for client credentials', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...ZOOM })).toThrow('In production clients must authenticate');
    const config = loadConfig({ NODE_ENV: 'production', ...ZOOM, GATEWAY_API_KEYS: 'a-key-of-sixteen-chars' });
    expect(config.http).toMatchObject({ introspection: false, explorer: 'off', corsOrigins: [], logFormat: 'json', shutdownDelayMs: 5_000, shutdownGraceMs: 40_000 });
    expect(config.auth).toMatchObject({ anonymous: false, apiKeys: ['a-key-of-sixteen-chars'] });
    expect(loadConfig({ NODE_ENV: 'production', ...ZOOM, GATEWAY_AUTH: 'off' }).auth.anonymous).toBe(true);
    expect(() => loadConfig({ NODE_ENV: 'production', ...ZOOM, GATEWAY_AUTH: 'off', CORS_ORIGINS: '*' })).toThrow('CORS_ORIGINS=* is refused in production');
    expect(() => loadConfig({ NODE_ENV: 'production', ...ZOOM, GATEWAY_JWKS_URL: 'http://idp.example/jwks' })).toThrow('GATEWAY_JWKS_URL must be an https URL in production');
    expect(() => loadConfig({ GATEWAY_JWKS_URL: 'https://idp.example/jwks', GATEWAY_JWT_SECRET: 'x'.repeat(32) })).toThrow('not both');
  });

  it('uses Zoom when both credentials are set', () => {
    const config = loadConfig({ ZOOM_VIDEOSDK_API_KEY: 'key', ZOOM_VIDEOSDK_API_SECRET: 'secret', PORT: '8080' });
    expect(config.zoom).toEqual({ kind: 'zoom', baseUrl: 'https://api.zoom.us/v2', apiKey: 'key', apiSecret: 'secret' });
    expect(config.port).toBe(8080);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every problem in one error', () => {
    let error: unknown;
    try {
      loadConfig({ ZOOM_VIDEOSDK_API_KEY: 'key', PORT: 'eighty', SESSIONS_MAX_FIRST: '0', ZOOM_API_BASE_URL: 'ftp://x', LOG_LEVEL: 'loud', CURSOR_SECRET: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT must be a whole number from 0 to 65535; got "eighty".',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud".',
      'ZOOM_API_BASE_URL must be an http(s) URL; got "ftp://x".',
      'ZOOM_VIDEOSDK_API_KEY is set but ZOOM_VIDEOSDK_API_SECRET is not: set both, or neither to use the simulator.',
      'SESSIONS_MAX_FIRST must be a whole number from 1 to 10000; got "0".',
      'CURSOR_SECRET must be at least 32 characters long.',
    ]);
    expect((error as Error).message.split('\n')[0]).toBe('Invalid configuration:');
  });

  it('refuses ZOOM_QUEUE_MAX_WAIT_MS below its floor, since a call always waits a moment for its slot', () => {
    expect(() => loadConfig({ ZOOM_QUEUE_MAX_WAIT_MS: '0' })).toThrow('ZOOM_QUEUE_MAX_WAIT_MS must be at least 100: a Zoom call may wait a moment for its slot, so 0 would refuse calls the budget allows; got "0".');
    expect(() => loadConfig({ ZOOM_QUEUE_MAX_WAIT_MS: '99' })).toThrow('ZOOM_QUEUE_MAX_WAIT_MS must be at least 100');
    expect(loadConfig({ ZOOM_QUEUE_MAX_WAIT_MS: '100' }).zoomBudget.queueMaxWaitMs).toBe(100);
  });

  it('refuses user-info in ZOOM_API_BASE_URL and never repeats its password', () => {
    let error: unknown;
    try {
      loadConfig({ ZOOM_API_BASE_URL: 'https://ops:hunter2-secret@zoom-proxy.internal/v2' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'ZOOM_API_BASE_URL must not carry user-info (user:password@): Zoom authenticates by the JWT alone; got "https://[redacted]@zoom-proxy.internal/v2".',
    ]);
    expect((error as Error).message).not.toContain('hunter2');
    expect(() => loadConfig({ ZOOM_API_BASE_URL: 'https://just-a-user@zoom-proxy.internal/v2' })).toThrow('must not carry user-info');
  });

  it('takes GRAPHQL_EXPLORER as graphiql, sandbox or off, in any case, and names the choices otherwise', () => {
    expect(loadConfig({ GRAPHQL_EXPLORER: 'Sandbox' }).http.explorer).toBe('sandbox');
    expect(loadConfig({ GRAPHQL_EXPLORER: 'off' }).http.explorer).toBe('off');
    expect(loadConfig({ NODE_ENV: 'production', ...ZOOM, GATEWAY_AUTH: 'off', GRAPHQL_EXPLORER: 'graphiql' }).http.explorer).toBe('graphiql');
    expect(() => loadConfig({ GRAPHQL_EXPLORER: 'playground' })).toThrow('GRAPHQL_EXPLORER must be one of graphiql, sandbox, off; got "playground".');
  });

  it('holds the connection limits, and refuses a headers timeout past the body timeout', () => {
    expect(loadConfig({}).http).toMatchObject({ headersTimeoutMs: 10_000, bodyTimeoutMs: 20_000, sendStallTimeoutMs: 10_000, maxPipelinedRequests: 16, maxUnsentBytes: 1_048_576, maxConnections: 2_000 });
    expect(loadConfig({}).cache.documentMaxBytes).toBe(16_777_216);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '30000' })).toThrow('HTTP_HEADERS_TIMEOUT_MS (30000) must not exceed HTTP_BODY_TIMEOUT_MS (20000)');
    expect(() => loadConfig({ HTTP_MAX_PIPELINED_REQUESTS: '0' })).toThrow('HTTP_MAX_PIPELINED_REQUESTS must be a whole number from 1 to 10000');
  });

  it('refuses a secret without a key', () => {
    expect(() => loadConfig({ ZOOM_VIDEOSDK_API_SECRET: 'secret' })).toThrow('ZOOM_VIDEOSDK_API_SECRET is set but ZOOM_VIDEOSDK_API_KEY is not');
  });
});

describe('ZOOM_PLAN and Redis settings', () => {
  it('takes every budget and the daily cap from the plan, and lets each setting override it', () => {
    expect(loadConfig({}).zoomBudget).toMatchObject({ plan: 'business', listSessionsPerMinute: 20, heavyPerSecond: 40, dailyLimit: 60_000, localBudgetShare: 0.5 });
    expect(loadConfig({ ZOOM_PLAN: 'pro' }).zoomBudget).toMatchObject({ plan: 'pro', listSessionsPerMinute: 10, heavyPerSecond: 10, dailyLimit: 30_000 });
    expect(loadConfig({ ZOOM_PLAN: 'pro', ZOOM_HEAVY_PER_SECOND: '25', ZOOM_LIST_SESSIONS_PER_MINUTE: '15' }).zoomBudget).toMatchObject({ heavyPerSecond: 25, listSessionsPerMinute: 15, dailyLimit: 30_000 });
  });

  it('keeps everything in memory without REDIS_URL, and reads the Redis settings with it', () => {
    expect(loadConfig({}).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6390' }).redis).toEqual({ url: 'redis://127.0.0.1:6390', keyPrefix: 'zoomgw:', commandTimeoutMs: 50 });
  });

  it('lists every bad plan, share and Redis setting in one message, never echoing the Redis URL', () => {
    const error = (() => {
      try {
        loadConfig({ ZOOM_PLAN: 'enterprise', ZOOM_LOCAL_BUDGET_SHARE: '1.5', REDIS_URL: 'http://user:hunter2@redis', REDIS_COMMAND_TIMEOUT_MS: '1' });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('loadConfig accepted bad settings');
    })();
    expect(error.message).toContain('ZOOM_PLAN must be one of pro, business; got "enterprise".');
    expect(error.message).toContain('ZOOM_LOCAL_BUDGET_SHARE must be a fraction above 0 and at most 1; got "1.5".');
    expect(error.message).toContain('REDIS_URL must be redis://, rediss://, redis+sentinel://, rediss+sentinel://, redis+cluster:// or rediss+cluster://.');
    expect(error.message).toContain('REDIS_COMMAND_TIMEOUT_MS must be a whole number from 5 to 5000; got "1".');
    expect(error.message).not.toContain('hunter2');
  });
});

describe('.env, the listening address and the simulator in production', () => {
  const credentials = { GATEWAY_API_KEYS: 'a-key-of-sixteen-chars' };

  it('reads .env under the real environment, and nothing when there is no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-env-'));
    try {
      const path = join(dir, '.env');
      writeFileSync(path, '# a comment\nPORT=4100\nLOG_LEVEL=debug\nZOOM_PLAN=pro\n');
      const env = withEnvFile({ LOG_LEVEL: 'warn' }, path);
      expect(env).toEqual({ PORT: '4100', LOG_LEVEL: 'warn', ZOOM_PLAN: 'pro' });
      expect(loadConfig(env)).toMatchObject({ port: 4100, logLevel: 'warn', zoomBudget: { plan: 'pro' } });
      const real = { PORT: '4200' };
      expect(withEnvFile(real, join(dir, 'absent.env'))).toBe(real);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('listens on loopback when access is anonymous, on every interface when clients authenticate, and where HOST says', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ GATEWAY_AUTH: 'off' }).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production', ...ZOOM, GATEWAY_AUTH: 'off' }).host).toBe('127.0.0.1');
    expect(loadConfig(credentials).host).toBe('0.0.0.0');
    expect(loadConfig({ GATEWAY_JWT_SECRET: 'x'.repeat(32) }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ ...credentials, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  });

  it('refuses production without Zoom credentials in one clear problem, unless ZOOM_SIMULATOR=on asks for the simulator', () => {
    let error: unknown;
    try {
      loadConfig({ NODE_ENV: 'production', ...credentials });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "No Zoom credentials in production: set ZOOM_VIDEOSDK_API_KEY and ZOOM_VIDEOSDK_API_SECRET, or ZOOM_SIMULATOR=on to serve the built-in simulator's made-up data on purpose.",
    ]);
    expect(loadConfig({ NODE_ENV: 'production', ...credentials, ZOOM_SIMULATOR: 'on' }).zoom).toEqual({ kind: 'simulator' });
    expect(loadConfig({ NODE_ENV: 'production', ...credentials, ...ZOOM }).zoom.kind).toBe('zoom');
    // Outside production the simulator stays the default, and ZOOM_SIMULATOR=off insists on credentials.
    expect(loadConfig({}).zoom).toEqual({ kind: 'simulator' });
    expect(() => loadConfig({ ZOOM_SIMULATOR: 'off' })).toThrow('ZOOM_SIMULATOR=off needs ZOOM_VIDEOSDK_API_KEY and ZOOM_VIDEOSDK_API_SECRET.');
    expect(() => loadConfig({ ...ZOOM, ZOOM_SIMULATOR: 'on' })).toThrow('ZOOM_SIMULATOR=on contradicts ZOOM_VIDEOSDK_API_KEY/ZOOM_VIDEOSDK_API_SECRET');
  });

  it(".env.example given to the production image (docker run --env-file) keeps production, and refuses to serve made-up data", () => {
    // Docker's --env-file wins over the image's ENV, as a spread does here.
    const image = { NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '4000' };
    const example = parseEnv(readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8'));
    expect(example.NODE_ENV).toBeUndefined();
    expect(example.HOST).toBeUndefined();
    expect(() => loadConfig({ ...image, ...example })).toThrow('No Zoom credentials in production');
    const deployed = loadConfig({ ...image, ...example, ...ZOOM, ...credentials });
    expect(deployed).toMatchObject({ nodeEnv: 'production', host: '0.0.0.0', http: { introspection: false, explorer: 'off', dashboard: false } });
  });
});

describe('defaultMaxInFlight', () => {
  it('lets a window of List sessions and a second of Heavy calls go out together, within 24 and 100', () => {
    expect(defaultMaxInFlight(20, 40)).toBe(60);
    expect(defaultMaxInFlight(10, 10)).toBe(24);
    expect(defaultMaxInFlight(100_000, 40)).toBe(100);
    expect(loadConfig({ ZOOM_PLAN: 'pro' }).zoomBudget.maxInFlight).toBe(24);
  });
});
