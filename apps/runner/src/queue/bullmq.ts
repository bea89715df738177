import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { backoffDelay, RETRY, type QueueDriver } from './contract.ts';

// Takes the key's lock and, in the same round trip, clears its "job queued" marker: from then on an add must
// queue a new job, because this run may already have read past its work.
const ACQUIRE = `if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then redis.call('del', KEYS[2]) return 1 else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** How long a key's lock outlives a crashed holder; renewed every third of it while a handler runs. */
const LOCK_TTL_MS = 6_000;
/** A job whose key is busy comes back after this long; the holder's run usually covers its work anyway. */
const BUSY_RETRY_MS = 25;
/**
 * While a key has a job waiting that has not started, further adds are dropped (the waiting job will read
 * their work from the database). The marker expires in case its job was lost, so a key is never stuck.
 */
const QUEUED_MARKER_TTL_MS = 30_000;

/**
 * BullMQ on Redis. Open-source BullMQ has no per-group ordering, so each key gets a Redis lock
 * (SET NX PX with a token, released by compare-and-delete); a job that finds its key locked is re-added
 * with a short delay. A worker killed mid-job leaves its lock to expire and its job to BullMQ's stalled check.
 */
export class BullQueue implements QueueDriver {
  readonly name = 'bullmq' as const;
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];

  constructor(
    redisUrl: string,
    private readonly prefix = 'signalbox',
  ) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
    this.connection.on('error', () => undefined);
    // Defined commands run by EVALSHA: the script text crosses the wire once, not on every call.
    this.connection.defineCommand('sbxAcquire', { numberOfKeys: 2, lua: ACQUIRE });
    this.connection.defineCommand('sbxRelease', { numberOfKeys: 1, lua: RELEASE });
    this.connection.defineCommand('sbxExtend', { numberOfKeys: 1, lua: EXTEND });
  }

  private get scripts() {
    // ioredis adds defined commands at run time; this is their shape.
    return this.connection as unknown as Record<'sbxAcquire' | 'sbxRelease' | 'sbxExtend', (...args: string[]) => Promise<number>>;
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      // Nothing reads BullMQ's event stream here; keep it short.
      q = new Queue(name, { connection: this.connection, prefix: this.prefix, streams: { events: { maxLen: 100 } } });
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }

  async add(queue: string, key: string, options: { delayMs?: number } = {}): Promise<void> {
    const delayed = options.delayMs !== undefined && options.delayMs > 0;
    if (!delayed) {
      const fresh = await this.connection.set(this.marker(queue, key), '1', 'PX', QUEUED_MARKER_TTL_MS, 'NX');
      if (fresh !== 'OK') return;
    }
    await this.queue(queue).add(
      'key',
      { key },
      {
        delay: options.delayMs,
        attempts: RETRY.attempts,
        backoff: { type: 'custom' },
        removeOnComplete: true,
        removeOnFail: { count: 1000 },
      },
    );
  }

  process(queue: string, handler: (key: string) => Promise<void>, options: { concurrency: number }): void {
    const worker = new Worker(
      queue,
      async (job) => {
        const key = (job.data as { key: string }).key;
        const lockKey = `${this.prefix}:lock:${queue}:${key}`;
        const token = randomUUID();
        const acquired = await this.scripts.sbxAcquire(lockKey, this.marker(queue, key), token, String(LOCK_TTL_MS));
        if (acquired !== 1) {
          await this.add(queue, key, { delayMs: BUSY_RETRY_MS });
          return;
        }
        const renew = setInterval(() => void this.scripts.sbxExtend(lockKey, token, String(LOCK_TTL_MS)).catch(() => undefined), LOCK_TTL_MS / 3);
        try {
          await handler(key);
        } finally {
          clearInterval(renew);
          await this.scripts.sbxRelease(lockKey, token).catch(() => undefined);
        }
      },
      {
        connection: this.connection.duplicate({ maxRetriesPerRequest: null }),
        prefix: this.prefix,
        concurrency: options.concurrency,
        settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(attemptsMade) },
      },
    );
    worker.on('error', () => undefined);
    this.workers.push(worker);
  }

  private marker(queue: string, key: string): string {
    return `${this.prefix}:queued:${queue}:${key}`;
  }

  async depth(queue: string): Promise<number> {
    const counts = await this.queue(queue).getJobCounts('waiting', 'delayed', 'prioritized');
    return (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }

  /** Deletes every queue and lock under this prefix (tests). */
  async obliterate(): Promise<void> {
    const keys = await this.connection.keys(`${this.prefix}:*`);
    if (keys.length > 0) await this.connection.del(...keys);
  }
}
