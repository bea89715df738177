import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { backoffDelay, RETRY, type QueueDriver } from './contract.ts';

/** How long a running job's lock lasts without renewal (BullMQ renews it every half), and how often stalled jobs are looked for. */
const STALLED_MS = 6_000;

/** Job names: `run` runs the handler for its key; `wake` is a delayed reminder that adds a `run` when due. */
const RUN = 'run';
const WAKE = 'wake';

/** Keys added to one queue in the current turn of the event loop, and the promise of their `addBulk`. */
interface PendingAdds {
  keys: Set<string>;
  done: Promise<void>;
}

/**
 * BullMQ on Redis. Open-source BullMQ has no per-group ordering; its deduplication gives the same guarantee
 * here. Every `run` job of a key carries the key as deduplication id with `keepLastIfActive`: while the key
 * has a job waiting, further adds are dropped (that job will read their work from the database); while its
 * job is active, one follow-up is kept and queued when the active job finishes. So a key never has two jobs
 * at once, and no two runs of a key overlap, across processes; and an add during a run is never lost.
 * `replace` lets an add take the place of a key's job that waits in the delayed set (a handler retrying
 * after an error), so new work is not held back by an old failure's backoff.
 *
 * A delayed add (`delayMs`) is a separate `wake` job without deduplication, which adds a `run` when it is
 * due: parked as the key's follow-up, a delay would otherwise postpone work added before it.
 * A worker killed mid-job leaves its job to BullMQ's stalled check, which gives it to another worker.
 */
export class BullQueue implements QueueDriver {
  readonly name = 'bullmq' as const;
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly pendingAdds = new Map<string, PendingAdds>();

  constructor(
    redisUrl: string,
    private readonly prefix = 'signalbox',
  ) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
    this.connection.on('error', () => undefined);
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      // Nothing reads BullMQ's event stream here; keep it short.
      q = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        streams: { events: { maxLen: 100 } },
        defaultJobOptions: { attempts: RETRY.attempts, backoff: { type: 'custom' }, removeOnComplete: true, removeOnFail: { count: 1000 } },
      });
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }

  async add(queue: string, key: string, options: { delayMs?: number } = {}): Promise<void> {
    if (options.delayMs !== undefined && options.delayMs > 0) await this.queue(queue).add(WAKE, { key }, { delay: options.delayMs });
    else await this.addSoon(queue, key);
  }

  /**
   * Adds made in the same turn of the event loop go to Redis together, in one `addBulk` (one round trip):
   * the ingress stores a batch of events in one INSERT and then tells the queue about each of them.
   */
  private addSoon(queue: string, key: string): Promise<void> {
    let batch = this.pendingAdds.get(queue);
    if (!batch) {
      const keys = new Set<string>();
      const done = Promise.resolve().then(() => {
        this.pendingAdds.delete(queue);
        return this.addRuns(queue, [...keys]);
      });
      batch = { keys, done };
      this.pendingAdds.set(queue, batch);
    }
    batch.keys.add(key);
    return batch.done;
  }

  private async addRuns(queue: string, keys: string[]): Promise<void> {
    const run = (key: string) => ({ name: RUN, data: { key }, opts: { deduplication: { id: key, keepLastIfActive: true, replace: true } } });
    if (keys.length === 1) await this.queue(queue).add(RUN, { key: keys[0] }, run(keys[0]!).opts);
    else await this.queue(queue).addBulk(keys.map(run));
  }

  process(queue: string, handler: (key: string) => Promise<void>, options: { concurrency: number }): void {
    const worker = new Worker(
      queue,
      async (job) => {
        const key = (job.data as { key: string }).key;
        if (job.name === WAKE) await this.add(queue, key);
        else await handler(key);
      },
      {
        connection: this.connection.duplicate({ maxRetriesPerRequest: null }),
        prefix: this.prefix,
        concurrency: options.concurrency,
        // A killed worker's jobs go back to the queue within about STALLED_MS; a job found stalled again
        // and again is failed rather than looping.
        lockDuration: STALLED_MS,
        stalledInterval: STALLED_MS,
        maxStalledCount: 5,
        settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(attemptsMade) },
      },
    );
    worker.on('error', () => undefined);
    this.workers.push(worker);
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
