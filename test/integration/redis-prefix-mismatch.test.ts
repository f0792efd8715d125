import pino from 'pino';
import { PREFIX_IN_USE_MS, accountPrefixesKey, watchAccountPrefixes } from '../../src/redis/account-prefixes';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { connectRedis } from '../services/redis-connection';
import { GatewayProcess, startGatewayProcess } from '../services/gateway-process';
import { TestRedis, startTestRedis, uniqueKeyPrefix, until } from '../services/redis-server';

const API_KEY = 'prefix-mismatch-api-key';
const API_SECRET = 'prefix-mismatch-api-secret-0123456789';

describe('watchAccountPrefixes on a real Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('names the prefixes noted within PREFIX_IN_USE_MS by Redis\'s clock, and drops those not noted for a day', async () => {
    const { connection } = await connectRedis(redis.url, uniqueKeyPrefix('prefix-watch').replace(/[^\w:.-]/g, ''), 1_000);
    const zoomApiKey = `prefix-watch-${Date.now()}`;
    const key = accountPrefixesKey(zoomApiKey);
    const [seconds] = (await connection.run('test.time', (client) => client.time())) as [number | string, number | string];
    const redisNow = Number(seconds) * 1_000;
    await connection.run('test.plant', (client) =>
      client.hset(key, 'recent:', String(redisNow - 60_000), 'quiet:', String(redisNow - PREFIX_IN_USE_MS - 60_000), 'gone:', String(redisNow - 2 * 24 * 60 * 60_000)),
    );
    const seen: (readonly string[])[] = [];
    const stop = watchAccountPrefixes({ redis: connection, zoomApiKey, logger: pino({ level: 'silent' }), onOthers: (others) => seen.push(others) });
    await until(async () => seen.length > 0, 5_000);
    stop();
    expect(seen[0]).toEqual(['recent:']);
    const left = await connection.run('test.read', (client) => client.hkeys(key));
    expect(left.sort()).toEqual([connection.keyPrefix, 'quiet:', 'recent:'].sort());
    expect(await connection.run('test.ttl', (client) => client.pttl(key))).toBeGreaterThan(0);
    await connection.run('test.clean', (client) => client.del(key));
    connection.close();
  });
});

/**
 * Two deployments of one Zoom account on one Redis with different REDIS_KEY_PREFIX values each keep a budget of their
 * own, and together call Zoom past its limits: the second to start says so, and so does its /metrics.
 */
describe('gateways of one Zoom account on one Redis with different REDIS_KEY_PREFIX values', () => {
  let redis: TestRedis;
  let zoom: ZoomSimulator;
  const gateways: GatewayProcess[] = [];
  beforeAll(async () => {
    redis = await startTestRedis();
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, sessions: [] });
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await zoom.close();
    await redis.stop();
  });

  it('logs an error naming the other prefix, and counts it in gateway_redis_other_key_prefixes', async () => {
    const env = (prefix: string) => ({
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', GATEWAY_AUTH: 'off',
      ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
      REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix,
    });
    const base = uniqueKeyPrefix('prefix').replace(/[^\w:.-]/g, '');
    const first = await startGatewayProcess(env(`${base}one:`));
    gateways.push(first);
    const second = await startGatewayProcess(env(`${base}two:`));
    gateways.push(second);
    await until(async () => /another REDIS_KEY_PREFIX/.test(second.output()), 10_000).catch((error: Error) => {
      throw new Error(`${error.message}:\n${second.output().split('\n').filter((each) => /prefix|Redis/i.test(each)).join('\n')}`);
    });
    const line = second.output().split('\n').find((each) => each.includes('another REDIS_KEY_PREFIX')) ?? '';
    expect(JSON.parse(line)).toMatchObject({ level: 50, otherPrefixes: [`${base}one:`] });
    const metrics = await (await fetch(second.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(metrics).toMatch(/^gateway_redis_other_key_prefixes 1$/m);
    // The same prefix twice is one deployment: only the other one is named.
    const same = await startGatewayProcess(env(`${base}one:`));
    gateways.push(same);
    await until(async () => /another REDIS_KEY_PREFIX.*two:/.test(same.output()), 10_000);
    expect(same.output()).not.toMatch(/otherPrefixes":\["[^"]*one:"/);
  }, 60_000);
});
