import pino from 'pino';
import { GatewayMetrics } from '../../src/metrics';
import { RedisConnection } from '../../src/redis/redis-connection';

/** A connected RedisConnection for a test, with its own metrics. */
export async function connectRedis(url: string, keyPrefix: string, commandTimeoutMs = 200): Promise<{ connection: RedisConnection; metrics: GatewayMetrics }> {
  const metrics = new GatewayMetrics();
  const connection = new RedisConnection({ url, keyPrefix, commandTimeoutMs }, pino({ level: 'silent' }), metrics);
  await connection.start(5_000);
  return { connection, metrics };
}
