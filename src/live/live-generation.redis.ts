import { RedisConnection, redisKey } from '../redis/redis-connection';
import type { LiveGeneration } from './live-generation';

/** One key in the live state's namespace, without TTL: it is lost exactly when the state's keys are. */
export class RedisLiveGeneration implements LiveGeneration {
  constructor(
    private readonly connection: RedisConnection,
    /** The live state's own namespace (seams.ts), so the mark lives and dies with its keys. */
    private readonly namespace: string,
  ) {}

  read(): Promise<string | null> {
    return this.connection.run('live.generation', (client) => client.get(this.key()));
  }

  async mark(id: string): Promise<void> {
    await this.connection.run('live.generation', (client) => client.set(this.key(), id));
  }

  private key(): string {
    return redisKey(this.namespace, 'generation');
  }
}
