import { LuaScript } from '../redis/lua-script';
import { RedisConnection, redisKey } from '../redis/redis-connection';
import type { LiveGeneration } from './live-generation';

/** Deletes the mark only if it is the one given: a rebuild may have written a new one meanwhile. KEYS: mark. ARGV: id. */
const FORGET_SCRIPT = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

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

  async forget(id: string): Promise<void> {
    await this.connection.run('live.generation', (client) => FORGET_SCRIPT.run(client, [this.key()], [id]));
  }

  private key(): string {
    return redisKey(this.namespace, 'generation');
  }
}
