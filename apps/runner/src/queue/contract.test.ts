import { afterEach, describe, expect, it, vi } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { BullQueue } from './bullmq.ts';
import type { QueueDriver } from './contract.ts';
import { InProcessQueue } from './in-process.ts';
import { LeasedQueue } from './leased.ts';
import { waitFor } from '../testing/harness.ts';
import { REDIS_URL } from '../testing/services.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Processes queue 'q' with `body`, called with the run's number (1, 2, ...); returns the start time of every run. */
function recordStarts(driver: QueueDriver, body: (run: number) => Promise<void>, concurrency: number): number[] {
  const starts: number[] = [];
  driver.process(
    'q',
    async () => {
      starts.push(Date.now());
      await body(starts.length);
    },
    { concurrency },
  );
  return starts;
}

const testPrefix = () => `sbx-test-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

const drivers: [string, () => QueueDriver][] = [
  ['in-process', () => new InProcessQueue()],
  ['bullmq', () => new BullQueue(REDIS_URL, testPrefix())],
  ['leased', () => new LeasedQueue(REDIS_URL, testPrefix())],
];

describe.each(drivers)('queue contract: %s', (_name, make) => {
  let driver: QueueDriver;
  afterEach(async () => {
    if (driver instanceof BullQueue) await driver.obliterate();
    await driver.close();
  });

  it('runs the handler for every added key at least once after the add', async () => {
    driver = make();
    const seen = new Map<string, number>();
    driver.process('q', async (key) => void seen.set(key, (seen.get(key) ?? 0) + 1), { concurrency: 4 });
    for (let i = 0; i < 50; i += 1) await driver.add('q', `k${i}`);
    await waitFor(() => seen.size === 50, 10_000, 'every key to be handled');
    expect([...seen.keys()].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `k${i}`).sort());
  });

  it('handles every key of adds made in one turn of the event loop, repeats included', async () => {
    driver = make();
    const seen = new Map<string, number>();
    driver.process('q', async (key) => void seen.set(key, (seen.get(key) ?? 0) + 1), { concurrency: 4 });
    const keys = Array.from({ length: 40 }, (_, i) => `t${i % 30}`);
    await Promise.all(keys.map((key) => driver.add('q', key)));
    await waitFor(() => seen.size === 30, 10_000, 'every key to be handled');
    expect([...seen.keys()].sort()).toEqual([...new Set(keys)].sort());
  });

  it('never overlaps two runs of one key, while different keys run in parallel up to the concurrency', async () => {
    driver = make();
    const running = new Set<string>();
    let overlap = 0;
    let maxParallel = 0;
    let runs = 0;
    driver.process(
      'q',
      async (key) => {
        if (running.has(key)) overlap += 1;
        running.add(key);
        maxParallel = Math.max(maxParallel, running.size);
        await sleep(15);
        running.delete(key);
        runs += 1;
      },
      { concurrency: 8 },
    );
    const adds: Promise<void>[] = [];
    for (let round = 0; round < 10; round += 1) for (let k = 0; k < 10; k += 1) adds.push(driver.add('q', `conv-${k}`));
    await Promise.all(adds);
    await waitFor(() => runs >= 10 && running.size === 0, 20_000, 'the runs to settle');
    await sleep(200);
    expect(overlap).toBe(0);
    expect(maxParallel).toBeGreaterThan(1);
    expect(maxParallel).toBeLessThanOrEqual(8);
  });

  it('a key added while its handler runs gets a run that starts after the add', async () => {
    driver = make();
    const starts = recordStarts(driver, () => sleep(100), 2);
    await driver.add('q', 'a');
    await waitFor(() => starts.length === 1, 10_000, 'the first run');
    const addedAt = Date.now();
    await driver.add('q', 'a');
    await waitFor(() => starts.length >= 2, 10_000, 'the second run');
    expect(starts[1]).toBeGreaterThanOrEqual(addedAt);
  });

  it('a delayed add does not hold back an add made before it', async () => {
    driver = make();
    const starts = recordStarts(
      driver,
      async (run) => {
        if (run > 1) return;
        await sleep(50);
        // Work arrives during the run, then the run itself asks to be woken much later.
        await driver.add('q', 'busy');
        await driver.add('q', 'busy', { delayMs: 5_000 });
      },
      2,
    );
    await driver.add('q', 'busy');
    await waitFor(() => starts.length >= 2, 4_000, 'the second run');
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeLessThan(2_000);
  });

  it('an add runs promptly even while the key waits to retry a failed run', async () => {
    driver = make();
    const starts = recordStarts(
      driver,
      async (run) => {
        if (run <= 5) throw new Error('failing');
      },
      1,
    );
    await driver.add('q', 'stuck');
    await waitFor(() => starts.length === 5, 10_000, 'five failed runs');
    await sleep(20);
    // After five failures the backoff is at least 1.6 s; new work must not wait for it.
    const addedAt = Date.now();
    await driver.add('q', 'stuck');
    await waitFor(() => starts.length >= 6, 5_000, 'the run of the new add');
    expect((starts[5] ?? 0) - addedAt).toBeLessThan(800);
  });

  it('delays a job by delayMs', async () => {
    driver = make();
    let ranAt = 0;
    driver.process('q', async () => void (ranAt = Date.now()), { concurrency: 1 });
    const addedAt = Date.now();
    await driver.add('q', 'late', { delayMs: 300 });
    await waitFor(() => ranAt > 0, 10_000, 'the delayed run');
    expect(ranAt - addedAt).toBeGreaterThanOrEqual(280);
  });

  it('retries a handler that throws, with backoff', async () => {
    driver = make();
    const attempts: number[] = [];
    driver.process(
      'q',
      async () => {
        attempts.push(Date.now());
        if (attempts.length < 3) throw new Error('transient');
      },
      { concurrency: 1 },
    );
    await driver.add('q', 'flaky');
    await waitFor(() => attempts.length === 3, 15_000, 'three attempts');
    const [a, b, c] = attempts as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(90);
    expect(c - b).toBeGreaterThanOrEqual(180);
  });

  it('reports waiting and delayed jobs as depth, and close waits for running handlers', async () => {
    driver = make();
    await driver.add('other', 'x', { delayMs: 60_000 });
    expect(await driver.depth('other')).toBe(1);
    let finished = false;
    driver.process(
      'q',
      async () => {
        await sleep(150);
        finished = true;
      },
      { concurrency: 1 },
    );
    await driver.add('q', 'slow');
    await sleep(60);
    await driver.close();
    expect(finished).toBe(true);
    driver = make(); // afterEach closes a fresh one
  });
});

describe('BullQueue', () => {
  it('sends the adds of one turn of the event loop to Redis in one addBulk, and fails each of them when it fails', async () => {
    const driver = new BullQueue(REDIS_URL, `sbx-test-${process.pid}-${Date.now()}-bulk`);
    const bulk = vi.spyOn(Queue.prototype, 'addBulk');
    try {
      await Promise.all(['a', 'b', 'c', 'a'].map((key) => driver.add('q', key)));
      expect(bulk).toHaveBeenCalledTimes(1);
      expect(bulk.mock.calls[0]![0].map((job) => (job.data as { key: string }).key)).toEqual(['a', 'b', 'c']);
      expect(await driver.depth('q')).toBe(3);

      bulk.mockRejectedValueOnce(new Error('redis went away'));
      const results = await Promise.allSettled(['d', 'e'].map((key) => driver.add('q', key)));
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      bulk.mockRestore();
      await driver.obliterate();
      await driver.close();
    }
  });
});

describe('LeasedQueue', () => {
  const opened: LeasedQueue[] = [];
  const leased = (prefix: string, leaseMs?: number) => {
    const queue = new LeasedQueue(REDIS_URL, prefix, leaseMs);
    opened.push(queue);
    return queue;
  };
  afterEach(async () => {
    for (const queue of opened.splice(0)) await queue.close();
  });

  it('never runs one key in two processes at once: the second waits for the first to finish, then runs', async () => {
    const prefix = testPrefix();
    const [a, b] = [leased(prefix), leased(prefix)];
    const runs: { by: string; key: string; start: number; end: number }[] = [];
    const handler = (by: string, ms: number) => async (key: string) => {
      const start = Date.now();
      await sleep(ms);
      runs.push({ by, key, start, end: Date.now() });
    };
    a.process('q', handler('a', 300), { concurrency: 4 });
    b.process('q', handler('b', 10), { concurrency: 4 });
    await a.add('q', 'conversation-1');
    await sleep(50);
    await b.add('q', 'conversation-1');
    await b.add('q', 'conversation-2');
    await waitFor(() => runs.length === 3, 10_000, 'three runs');
    const inA = runs.find((r) => r.by === 'a')!;
    const sameKeyInB = runs.find((r) => r.by === 'b' && r.key === 'conversation-1')!;
    const otherKeyInB = runs.find((r) => r.by === 'b' && r.key === 'conversation-2')!;
    expect(otherKeyInB.end).toBeLessThan(inA.end);
    expect(sameKeyInB.start).toBeGreaterThanOrEqual(inA.end);
  });

  it('fails its depth, and so the readiness check, when Redis cannot be reached', async () => {
    const unreachable = new LeasedQueue('redis://127.0.0.1:9', testPrefix());
    opened.push(unreachable);
    await expect(unreachable.depth('q')).rejects.toThrow();
    expect(await leased(testPrefix()).depth('q')).toBe(0);
  });

  it('runs a key whose lease a dead process left behind once the lease expires', async () => {
    const prefix = testPrefix();
    const queue = leased(prefix);
    const redis = new Redis(REDIS_URL);
    try {
      await redis.set(queue.leaseKey('q', 'orphan'), 'a dead process', 'PX', 400);
      const starts: number[] = [];
      queue.process('q', async () => void starts.push(Date.now()), { concurrency: 1 });
      const addedAt = Date.now();
      await queue.add('q', 'orphan');
      await waitFor(() => starts.length === 1, 10_000, 'the run after the lease expired');
      expect(starts[0]! - addedAt).toBeGreaterThanOrEqual(350);
      // The run released its own lease.
      expect(await redis.exists(queue.leaseKey('q', 'orphan'))).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it("keeps a long run's lease alive past its duration, so no other process takes the key", async () => {
    const prefix = testPrefix();
    const [a, b] = [leased(prefix, 300), leased(prefix, 300)];
    let running = 0;
    let overlap = 0;
    let runs = 0;
    const handler = (ms: number) => async () => {
      runs += 1;
      running += 1;
      if (running > 1) overlap += 1;
      await sleep(ms);
      running -= 1;
    };
    a.process('q', handler(1_000), { concurrency: 1 });
    b.process('q', handler(10), { concurrency: 1 });
    await a.add('q', 'slow');
    await sleep(50);
    await b.add('q', 'slow');
    await waitFor(() => runs === 2 && running === 0, 10_000, 'both runs to end');
    expect(overlap).toBe(0);
  });
});

