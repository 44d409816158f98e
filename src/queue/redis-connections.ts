/**
 * Redis connections for the queue and checks of the server: the queue's
 * data must never be evicted, so `maxmemory-policy` should be
 * `noeviction`, and a health check must answer fast either way.
 */
import { Redis, type RedisOptions } from 'ioredis';

import { AppError, ErrorCode } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';

/** Milliseconds a connection attempt may take. */
export const CONNECT_TIMEOUT_MS = 3000;

/** What a connection is for; decides how it behaves while Redis is down. */
export type ConnectionRole = 'producer' | 'blocking';

/**
 * A connection to `url`. A producer fails commands at once while Redis
 * is down (so a request can answer 503 instead of hanging); a blocking
 * connection (workers, queue events) waits and retries, as BullMQ
 * requires. Both reconnect on their own, every 1 to 5 seconds.
 */
export function connectRedis(
  url: string,
  role: ConnectionRole,
  logger: Logger,
): Redis {
  const options: RedisOptions = {
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(1000 * times, 5000),
    ...(role === 'producer'
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 }
      : { maxRetriesPerRequest: null }),
  };
  const client = new Redis(url, options);
  watchConnection(client, url, role, logger);
  return client;
}

/** Logs an outage once, and the recovery once, instead of every retry. */
function watchConnection(
  client: Redis,
  url: string,
  role: ConnectionRole,
  logger: Logger,
): void {
  const fields = { redis: redisAddress(url), role };
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn({ ...fields, err: err.message }, 'Redis unreachable');
  });
  client.on('ready', () => {
    if (down) logger.info(fields, 'Redis reachable again');
    down = false;
  });
}

/** `host:port` of a Redis URL, without credentials, for messages. */
export function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'the configured Redis';
  }
}

/** The `queue_unavailable` error for a request Redis could not take. */
export function queueUnavailable(
  url: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): AppError {
  return new AppError(
    ErrorCode.QueueUnavailable,
    `the job queue (Redis at ${redisAddress(url)}) is not reachable; ` +
      'the request is recorded and will be queued when Redis is back',
    details,
    { cause },
  );
}

/** The eviction policy in the text of `INFO memory`, if it is there. */
export function evictionPolicyOf(info: string): string | undefined {
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
}

/**
 * Warns unless Redis evicts nothing (`maxmemory-policy noeviction`):
 * under memory pressure any other policy may delete job data, losing
 * jobs or their locks silently. Never throws.
 */
export async function checkEvictionPolicy(
  client: Redis,
  logger: Logger,
): Promise<string | undefined> {
  try {
    const policy = evictionPolicyOf(await client.info('memory'));
    if (policy !== undefined && policy !== 'noeviction') {
      logger.warn(
        { policy },
        'Redis maxmemory-policy is not noeviction: under memory ' +
          'pressure Redis may delete queue data and lose jobs. Set ' +
          '`maxmemory-policy noeviction` in redis.conf.',
      );
    }
    return policy;
  } catch (err) {
    logger.info({ err }, 'could not read the Redis eviction policy');
    return undefined;
  }
}

/** What a health check of Redis found. */
export interface RedisHealth {
  /** True when Redis answered PING. */
  ok: boolean;
  /** `maxmemory-policy`, when it could be read. */
  policy?: string;
  /** Why it failed. */
  error?: string;
}

/**
 * Connects once to `url`, pings, and disconnects; never throws. When
 * Redis does not answer, `error` gives the first cause the client saw
 * (such as `connect ECONNREFUSED 127.0.0.1:6379`), not the "Connection
 * is closed." that follows it.
 */
export async function checkRedis(url: string): Promise<RedisHealth> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let cause: string | undefined;
  client.on('error', (err: Error) => {
    cause ??= err.message;
  });
  try {
    await client.connect();
    await client.ping();
    const policy = evictionPolicyOf(await client.info('memory'));
    return { ok: true, policy };
  } catch (err) {
    return {
      ok: false,
      error: cause ?? (err instanceof Error ? err.message : String(err)),
    };
  } finally {
    client.disconnect();
  }
}
