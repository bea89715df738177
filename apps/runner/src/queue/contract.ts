/**
 * The queue contract both drivers (in-process and BullMQ) meet, proven by one shared test suite.
 *
 * A job is a notification about a key (a conversation): "there may be work for this key". The database is
 * the source of truth for the work itself, so a job carries no payload and can safely run more than once.
 *
 * - Every `add(key)` is followed by at least one handler run for that key that starts after the add.
 * - Two handler runs for the same key never overlap, across every process sharing the queue.
 * - Different keys run in parallel, up to `concurrency` per process.
 * - `delayMs` postpones the run; a handler that throws is retried with exponential backoff and jitter.
 * - `close()` stops taking jobs and waits for running handlers.
 */
export interface QueueDriver {
  readonly name: 'in-process' | 'bullmq' | 'leased';
  add(queue: string, key: string, options?: { delayMs?: number }): Promise<void>;
  process(queue: string, handler: (key: string) => Promise<void>, options: { concurrency: number }): void;
  /** Jobs waiting or delayed (not running). */
  depth(queue: string): Promise<number>;
  close(): Promise<void>;
}

export const RETRY = { attempts: 8, baseDelayMs: 200, maxDelayMs: 30_000 };

/** Exponential backoff with full jitter (AWS architecture blog's recommendation for contended retries). */
export function backoffDelay(attempt: number, random: () => number = Math.random, base = RETRY.baseDelayMs, max = RETRY.maxDelayMs): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
