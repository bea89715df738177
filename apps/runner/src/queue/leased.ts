import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { backoffDelay, type QueueDriver } from './contract.ts';
import { InProcessQueue } from './in-process.ts';

/** How long a lease lasts without renewal; a running handler renews it every third of that. */
const LEASE_MS = 10_000;
/** The first wait before asking again for a key another process holds; it doubles up to the cap. */
const BUSY_RETRY_MS = 20;
const BUSY_RETRY_CAP_MS = 1_000;

// Compare-and-act on the lease's token, so a process never releases or extends a lease that expired and went to
// another process (the single-instance lock of the Redis documentation).
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

interface LeaseCommands {
  releaseLease(key: string, token: string): Promise<number>;
  renewLease(key: string, token: string, ms: number): Promise<number>;
}

/**
 * The queue of a process that holds every role, on Redis: jobs stay in the process (the in-process queue's
 * ordering, delays and retries), and a lease per key in Redis keeps two processes from running one key at once.
 *
 * Each run takes the key's lease first (`SET NX PX`, one round trip). A key another process holds is asked for
 * again after a short, growing wait; that process's drain reads the work from the database anyway. The lease
 * is renewed while the handler runs and released when it ends; a process that dies leaves its leases to
 * expire within LEASE_MS, and the runner's sweep finds the events it had accepted but not processed.
 *
 * Against BullMQ it saves the Redis work of a job per message (43 of 47 Redis commands and 0.09 ms of runner
 * CPU per message at 1,000 msg/s) and the round trips between the ingress, Redis and the worker. What it gives
 * up: work does not move between processes (each runs what its own ingress, timers and sweeps found), so it is
 * for processes with every role; split roles need BullMQ. docs/decisions.md ("One process, every role").
 */
export class LeasedQueue implements QueueDriver {
  readonly name = 'leased' as const;
  private readonly local = new InProcessQueue();
  private readonly redis: Redis & LeaseCommands;
  /** By lease key: how many times in a row the key found its lease held by another process (for the growing wait). */
  private readonly busy = new Map<string, number>();

  constructor(
    redisUrl: string,
    private readonly prefix = 'signalbox',
    private readonly leaseMs = LEASE_MS,
  ) {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, enableReadyCheck: true });
    redis.on('error', () => undefined);
    redis.defineCommand('releaseLease', { numberOfKeys: 1, lua: RELEASE });
    redis.defineCommand('renewLease', { numberOfKeys: 1, lua: RENEW });
    this.redis = redis as Redis & LeaseCommands;
  }

  add(queue: string, key: string, options: { delayMs?: number } = {}): Promise<void> {
    return this.local.add(queue, key, options);
  }

  process(queue: string, handler: (key: string) => Promise<void>, options: { concurrency: number }): void {
    this.local.process(queue, (key) => this.runLeased(queue, key, handler), options);
  }

  /** The jobs waiting in this process. It asks Redis first: `/readyz` reads the depth to check the queue, and without Redis no lease can be taken. */
  async depth(queue: string): Promise<number> {
    await this.redis.ping();
    return this.local.depth(queue);
  }

  async close(): Promise<void> {
    await this.local.close();
    await this.redis.quit().catch(() => undefined);
  }

  /** The Redis key of a queue key's lease. */
  leaseKey(queue: string, key: string): string {
    return `${this.prefix}:lease:${queue}:${key}`;
  }

  private async runLeased(queue: string, key: string, handler: (key: string) => Promise<void>): Promise<void> {
    const lease = this.leaseKey(queue, key);
    const token = randomUUID();
    // A Redis error throws: the in-process queue retries the key with backoff, as for any failed run.
    if ((await this.redis.set(lease, token, 'PX', this.leaseMs, 'NX')) !== 'OK') {
      // Another process runs the key: ask again after a growing wait (a delayed add, dropped when the queue closes).
      const attempt = (this.busy.get(lease) ?? 0) + 1;
      this.busy.set(lease, attempt);
      await this.local.add(queue, key, { delayMs: backoffDelay(attempt, Math.random, BUSY_RETRY_MS, BUSY_RETRY_CAP_MS) });
      return;
    }
    this.busy.delete(lease);
    const renew = setInterval(() => void this.redis.renewLease(lease, token, this.leaseMs).catch(() => undefined), Math.floor(this.leaseMs / 3));
    try {
      await handler(key);
    } finally {
      clearInterval(renew);
      // Unreleased (Redis gone), the lease expires on its own.
      await this.redis.releaseLease(lease, token).catch(() => undefined);
    }
  }
}
