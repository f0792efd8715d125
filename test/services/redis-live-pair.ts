import pino from 'pino';
import { API_KEY, API_SECRET, Clock, Stack, startStack } from '../harness';
import { change, until } from '../contracts/event-bus.contract';
import { connectRedis } from './redis-connection';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { LiveSeams, redisLiveSeams } from '../../src/seams';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';

/** Two gateways on one fake Zoom, sharing their live seams in Redis, each through its own connection. */
export interface RedisLivePair {
  readonly a: Stack;
  readonly b: Stack;
  readonly zoom: ZoomSimulator;
  readonly clock: Clock;
  readonly connections: readonly RedisConnection[];
  close(): Promise<void>;
}

/**
 * Starts the pair on `redisUrl` under a key prefix of its own, as seams.ts builds the seams with
 * REDIS_URL, once each instance's bus hears the other's (a change published before both
 * subscriptions are in place would reach one instance only), and both serve LIVE.
 */
export async function startRedisLivePair(options: { readonly redisUrl: string; readonly prefix: string; readonly boundMs: number; readonly env: Record<string, string> }): Promise<RedisLivePair> {
  const clock = new Clock();
  const connected = await Promise.all([0, 1].map(() => connectRedis(options.redisUrl, options.prefix, options.boundMs)));
  const connections = connected.map((each) => each.connection);
  const seams: LiveSeams[] = connected.map(({ connection, metrics }) => redisLiveSeams(connection, options.prefix, metrics, pino({ level: 'silent' })));
  for (const [from, to] of [[0, 1], [1, 0]]) {
    let heard = false;
    const stop = seams[to].bus.subscribe(() => (heard = true));
    // Each probe its own change: a bus drops a second copy of one it already delivered.
    let probes = 0;
    await until(async () => {
      await seams[from].bus.publish(change(`probe-${from}-${(probes += 1)}`));
      return heard;
    });
    stop();
  }
  const zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, now: clock.now, sessions: [] });
  const a = await startStack({ zoom, clock, env: options.env, gateway: { liveSeams: seams[0] } });
  const b = await startStack({ zoom, clock, env: options.env, gateway: { liveSeams: seams[1] } });
  await until(() => a.gateway.core.live.servesLive() && b.gateway.core.live.servesLive());
  return {
    a, b, zoom, clock, connections,
    close: async () => {
      await a.close();
      await b.close();
      await zoom.close();
      for (const connection of connections) connection.close();
    },
  };
}
