import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { evictionPolicyOf, mayEvict } from './eviction-policy';
import { bounded } from './bounded';
import { SpanKind, inSpan } from '../tracing/spans';
import { type RedisClient, createRedisClient } from './redis-client';
import { type RedisTarget, parseRedisUrl, redactedUrl } from './redis-url';
import { STREAM_READ_BLOCK_MS, type StreamFollower, followStream } from './stream-reader';

export type { RedisClient };
export { REDIS_RECONNECT_MAX_MS } from './redis-client';
export { redactedUrl };

export interface RedisSettings {
  /** One of the forms of redis-url.ts: one server, sentinels and a master name, or cluster nodes. */
  readonly url: string;
  /** Namespaces every key, so that several deployments can share one Redis. */
  readonly keyPrefix: string;
  /** A command not answered within this is abandoned and its caller falls back. */
  readonly commandTimeoutMs: number;
}

/** What the connection reports; GatewayMetrics implements it. */
export interface RedisMetricsSink {
  redisError(operation: string): void;
  redisUp(up: boolean): void;
}

export type RedisHealth = 'up' | 'degraded';

/** One channel subscription; `ready` resolves once Redis confirmed it (or gave up). */
export interface RedisSubscription {
  readonly ready: Promise<void>;
  close(): void;
}

/** Thrown when Redis is not connected: callers fall back at once instead of queueing. */
export class RedisUnavailableError extends Error {
  constructor(operation: string) {
    super(`Redis is not connected (${operation})`);
    this.name = 'RedisUnavailableError';
  }
}

/**
 * One ioredis client for the process, handed to every Redis seam (page store, governor state,
 * the live-updates work) with the key prefix. Commands never wait in an offline queue and are cut
 * after `commandTimeoutMs`, so that a slow or absent Redis costs each request tens of
 * milliseconds at most, never an error. The client is one server's, a Sentinel-managed primary's or
 * a cluster's (redis-client.ts); the seams never know which, since every key of one account carries
 * the account's hash tag (accountNamespace()).
 */
export class RedisConnection {
  readonly client: RedisClient;
  readonly keyPrefix: string;
  private readonly target: RedisTarget;
  /** Connections of subscribe(): closed with this one, so a shutdown leaves no socket open. */
  private readonly subscribers = new Set<RedisClient>();
  /** Streams followed (follow()): stopped with this connection, so no reader goes on retrying. */
  private readonly followers = new Set<StreamFollower>();

  constructor(
    private readonly settings: RedisSettings,
    private readonly logger: Logger,
    private readonly metrics: RedisMetricsSink,
  ) {
    this.keyPrefix = settings.keyPrefix;
    const parsed = parseRedisUrl(settings.url);
    // config/redis.ts refuses a bad URL at start-up with every problem listed: this is for callers that skipped it.
    if (!parsed.ok) throw new Error(parsed.problems.join(' '));
    this.target = parsed.target;
    this.client = createRedisClient(this.target, 'commands', settings.commandTimeoutMs);
    let wasUp = false;
    this.client.on('ready', () => {
      wasUp = true;
      metrics.redisUp(true);
      logger.info('Redis connected: sharing cache and rate budget with other instances');
      // Each time: a Redis restarted, or failed over to a replica, may run with another configuration.
      this.warnIfEvicting().catch((error: unknown) => logger.debug({ err: error }, 'Redis eviction policy not readable'));
    });
    this.client.on('close', () => {
      metrics.redisUp(false);
      if (wasUp) logger.warn('Redis connection lost: serving from in-process caches and the local share of the rate budget');
      wasUp = false;
    });
    // Without a listener an 'error' event would crash the process; the 'close' above says what matters.
    this.client.on('error', (error: Error) => logger.debug({ err: error.message }, 'Redis error'));
    metrics.redisUp(false);
  }

  /** Connects, waiting at most `waitMs`; false (and a warning) when Redis is not there yet: the client keeps trying. */
  async start(waitMs: number): Promise<boolean> {
    const connected = this.client.connect().then(
      () => true,
      () => false,
    );
    const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), waitMs).unref());
    const up = await Promise.race([connected, timedOut]);
    if (!up) this.logger.warn({ redis: redactedUrl(this.settings.url) }, 'Redis is unreachable at start-up: starting anyway, without sharing, and reconnecting in the background');
    return up;
  }

  /** An error line when Redis may evict the gateway's keys (eviction-policy.ts); `INFO` may be refused (a managed Redis): then nothing. */
  private async warnIfEvicting(): Promise<void> {
    const eviction = evictionPolicyOf(await this.run('info', (client) => client.info('memory')));
    if (eviction === undefined || !mayEvict(eviction)) return;
    this.logger.error(
      { maxmemoryPolicy: eviction.policy, maxmemory: eviction.maxmemory },
      `Redis evicts keys when full (maxmemory-policy ${eviction.policy}): live sessions, webhook de-duplication keys, client quotas and the shared rate budget can vanish without a trace. Set maxmemory-policy noeviction: a full Redis then refuses writes, and the gateway falls back as when Redis is away.`,
    );
  }

  health(): RedisHealth {
    return this.client.status === 'ready' ? 'up' : 'degraded';
  }

  isUp(): boolean {
    return this.client.status === 'ready';
  }

  /**
   * Runs one command (or one pipeline, one script) within `commandTimeoutMs` as a whole: ioredis's
   * own timeout covers each command, not a pipeline or a script's NOSCRIPT retry. Any failure is
   * counted and rethrown for the seam's fallback.
   */
  run<T>(operation: string, command: (client: RedisClient) => Promise<T>): Promise<T> {
    return inSpan(`redis ${operation}`, { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'redis', 'db.operation.name': operation } }, () => this.runBounded(operation, command));
  }

  private async runBounded<T>(operation: string, command: (client: RedisClient) => Promise<T>): Promise<T> {
    if (!this.isUp()) {
      this.metrics.redisError(operation);
      throw new RedisUnavailableError(operation);
    }
    try {
      return await bounded(command(this.client), this.settings.commandTimeoutMs, operation);
    } catch (error) {
      this.metrics.redisError(operation);
      throw error;
    }
  }

  /**
   * Listens on a pub/sub channel over a connection of its own (a subscribed connection takes no
   * other command). It waits for Redis however long it takes and re-subscribes on reconnect:
   * nothing a request waits for goes over it.
   */
  subscribe(channel: string, onMessage: (message: string) => void): RedisSubscription {
    const subscriber = createRedisClient(this.target, 'subscriber', this.settings.commandTimeoutMs);
    subscriber.on('error', (error: Error) => this.logger.debug({ err: error.message }, 'Redis subscriber error'));
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel) onMessage(message);
    });
    const ready = subscriber.subscribe(channel).then(
      () => undefined,
      (error: unknown) => this.logger.debug({ err: error }, 'Redis subscribe failed'),
    );
    this.subscribers.add(subscriber);
    return {
      ready,
      close: () => {
        this.subscribers.delete(subscriber);
        subscriber.disconnect();
      },
    };
  }

  /**
   * Follows a stream over a connection of its own (a blocking read holds it), from where it stood
   * now on, across reconnects (stream-reader.ts): nothing a request waits for goes over it.
   */
  follow(stream: string, onEntry: (message: string) => void): StreamFollower {
    const reader = createRedisClient(this.target, 'subscriber', STREAM_READ_BLOCK_MS + Math.max(1_000, this.settings.commandTimeoutMs * 10));
    reader.on('error', (error: Error) => this.logger.debug({ err: error.message }, 'Redis stream reader error'));
    const follower = followStream(reader, stream, onEntry, this.logger);
    this.followers.add(follower);
    return {
      ready: follower.ready,
      close: () => {
        this.followers.delete(follower);
        follower.close();
      },
    };
  }

  /** Stops reconnecting and drops the socket, and every subscriber's; commands in flight fail (and their callers fall back). */
  close(): void {
    for (const subscriber of this.subscribers) subscriber.disconnect();
    this.subscribers.clear();
    for (const follower of this.followers) follower.close();
    this.followers.clear();
    if (this.client.status === 'end') return;
    this.client.disconnect();
  }
}

/** Bumped when what is stored changes shape: a new release never reads an old one's entries. */
export const REDIS_FORMAT_VERSION = 1;

/**
 * The key namespace of one Zoom account: the prefix, a digest of the API key (never the key
 * itself) and the format version, so two accounts or two releases never read each other's entries.
 *
 * The digest is in braces, a Redis Cluster hash tag: every key of the account hashes to one slot,
 * so a script, a MULTI or a pipeline may touch any of its keys together (the governor's window and
 * daily count, a session and the live set) on a cluster as on one server. The price: one account's
 * keys all live on one primary, so a cluster gives such a deployment failover to a replica and room
 * beside other deployments and accounts, not its keys spread over several primaries. The prefix
 * (REDIS_KEY_PREFIX) cannot hold a brace, so this tag is always the key's first.
 */
export function accountNamespace(keyPrefix: string, zoomApiKey: string): string {
  return `${keyPrefix}{${accountDigest(zoomApiKey)}}:v${REDIS_FORMAT_VERSION}:`;
}

/** Names the Zoom account in keys: a digest of its API key, never the key. */
export function accountDigest(zoomApiKey: string): string {
  return createHash('sha256').update(`zoom account ${zoomApiKey}`).digest('base64url').slice(0, 16);
}

/**
 * The one way a seam names its keys: its namespace (accountNamespace(), with the seam's own noun
 * appended by seams.ts) and the key's parts, joined by colons.
 */
export function redisKey(namespace: string, ...parts: readonly string[]): string {
  return namespace + parts.join(':');
}
