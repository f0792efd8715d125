import { Writable } from 'node:stream';
import pino from 'pino';
import { SessionsPageDocument } from '../generated/graphql';
import { Stack, startStack } from '../harness';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';

let redis: TestRedis;
let stack: Stack | undefined;
beforeAll(async () => {
  redis = await startOwnRedis();
});
afterAll(async () => {
  await stack?.close();
  await redis.stop();
});

describe('Redis unreachable at start-up', () => {
  it('is a warning, not a refusal: the gateway serves, /readyz says degraded with 200, and sharing starts once Redis comes', async () => {
    await redis.kill();
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }));
    stack = await startStack({ env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('startup') }, logger });
    expect(lines.join('')).toContain('Redis is unreachable at start-up: starting anyway');
    const answer = await stack.request(SessionsPageDocument, { type: 'PAST', from: '2026-11-02', to: '2026-11-02', first: 1 });
    expect(answer.body.errors).toBeUndefined();
    const ready = await fetch(stack.url.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', redis: 'degraded' });
    await redis.restart();
    const deadline = Date.now() + 10_000;
    while (stack.gateway.core.redis?.health() !== 'up' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stack.gateway.core.redis?.health()).toBe('up');
    expect(await (await fetch(stack.url.replace('/graphql', '/readyz'))).json()).toMatchObject({ redis: 'up' });
  });
});
