import { backoffDelay, RETRY, type QueueDriver } from './contract.ts';

interface Lane {
  handler: (key: string) => Promise<void>;
  concurrency: number;
  ready: string[];
  queued: Set<string>;
  running: Set<string>;
  /** Keys added while running: run once more when the current run ends. */
  again: Set<string>;
  attempts: Map<string, number>;
}

/**
 * The embedded default's queue: in memory, one process. Durability comes from the database (the
 * inbound_event and outbox tables), which the runner sweeps at start, so nothing is lost on a crash.
 */
export class InProcessQueue implements QueueDriver {
  readonly name = 'in-process' as const;
  private readonly lanes = new Map<string, Lane>();
  private readonly early = new Map<string, string[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private idle: (() => void)[] = [];

  async add(queue: string, key: string, options: { delayMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    if (options.delayMs && options.delayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.enqueue(queue, key);
      }, options.delayMs);
      this.timers.add(timer);
      return;
    }
    this.enqueue(queue, key);
  }

  process(queue: string, handler: (key: string) => Promise<void>, options: { concurrency: number }): void {
    const lane: Lane = { handler, concurrency: options.concurrency, ready: [], queued: new Set(), running: new Set(), again: new Set(), attempts: new Map() };
    this.lanes.set(queue, lane);
    for (const key of this.early.get(queue) ?? []) this.enqueue(queue, key);
    this.early.delete(queue);
  }

  async depth(queue: string): Promise<number> {
    const lane = this.lanes.get(queue);
    return (lane ? lane.ready.length : (this.early.get(queue)?.length ?? 0)) + this.timers.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const busy = () => [...this.lanes.values()].some((l) => l.running.size > 0);
    if (busy()) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private enqueue(queue: string, key: string) {
    if (this.closed) return;
    const lane = this.lanes.get(queue);
    if (!lane) {
      this.early.set(queue, [...(this.early.get(queue) ?? []), key]);
      return;
    }
    if (lane.running.has(key)) lane.again.add(key);
    else if (!lane.queued.has(key)) {
      lane.queued.add(key);
      lane.ready.push(key);
    }
    this.pump(queue, lane);
  }

  private pump(queue: string, lane: Lane) {
    while (!this.closed && lane.running.size < lane.concurrency && lane.ready.length > 0) {
      const key = lane.ready.shift() as string;
      lane.queued.delete(key);
      lane.running.add(key);
      void this.run(queue, lane, key);
    }
  }

  private async run(queue: string, lane: Lane, key: string) {
    let failed = false;
    try {
      await lane.handler(key);
      lane.attempts.delete(key);
    } catch {
      failed = true;
    }
    lane.running.delete(key);
    if (failed) {
      const attempt = (lane.attempts.get(key) ?? 0) + 1;
      lane.attempts.set(key, attempt);
      if (attempt < RETRY.attempts) void this.add(queue, key, { delayMs: backoffDelay(attempt) });
      else lane.attempts.delete(key);
    }
    if (lane.again.delete(key)) this.enqueue(queue, key);
    this.pump(queue, lane);
    if (this.closed && ![...this.lanes.values()].some((l) => l.running.size > 0)) {
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }
}
