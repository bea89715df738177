import { afterEach, describe, expect, it, vi } from 'vitest';
import { limitsFor, SendLimits } from './rate-limits.ts';

/** The largest number of acquisitions inside any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= windowMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

describe('SendLimits', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('never lets more than the per-account rate through in any window, bursts included', async () => {
    // A fake clock, so the times recorded are the times the limiter released each send, not those plus the
    // test's own scheduling delays.
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const limits = new SendLimits();
    const times: number[] = [];
    // 60 sends offered at once against 40 per second: they must spread over 1.475 s, in the order they asked.
    const order: number[] = [];
    const sends = Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        expect(await limits.acquire('ch-1', `customer-${i}`, { perAccount: { messages: 40, perMs: 1000 } })).toBe(0);
        times.push(performance.now());
        order.push(i);
      }),
    );
    await vi.runAllTimersAsync();
    await sends;
    expect(busiestWindow(times, 1000)).toBe(40);
    expect(times.at(-1)! - times[0]!).toBe(59 * 25);
    expect(order).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('does not send before the slot when a timer fires early', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const limits = new SendLimits();
    const perAccount = { messages: 10, perMs: 1000 };
    await limits.acquire('ch-1', 'a', { perAccount });
    const started = performance.now();
    let sentAt: number | undefined;
    // Node counts a timer from the event loop's cached clock, which can lag behind the real one, so a timer
    // can fire a few milliseconds early: make every longer timer fire 3 ms early.
    const fakeSetTimeout = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((run: () => void, ms: number) =>
      fakeSetTimeout(run, ms > 3 ? ms - 3 : ms)) as typeof setTimeout);
    void limits.acquire('ch-1', 'b', { perAccount }).then(() => (sentAt = performance.now()));
    await vi.advanceTimersByTimeAsync(97);
    expect(sentAt).toBeUndefined();
    await vi.runAllTimersAsync();
    expect(sentAt! - started).toBeGreaterThanOrEqual(100);
  });

  it('spaces messages to one recipient, while other recipients and channels go at once', async () => {
    const limits = new SendLimits();
    const perRecipient = { messages: 1, perMs: 200 };
    const started = performance.now();
    const one: number[] = [];
    await Promise.all(
      [0, 1, 2].map(async () => {
        await limits.acquire('ch-1', 'chat-1', { perRecipient });
        one.push(performance.now() - started);
      }),
    );
    const othersStarted = performance.now();
    await limits.acquire('ch-1', 'chat-2', { perRecipient });
    await limits.acquire('ch-2', 'chat-1', { perRecipient });
    expect(performance.now() - othersStarted).toBeLessThan(100);
    one.sort((a, b) => a - b);
    expect(one[1]! - one[0]!).toBeGreaterThanOrEqual(195);
    expect(one[2]! - one[1]!).toBeGreaterThanOrEqual(195);
  });

  it('hands back a long wait instead of sleeping through it', async () => {
    const limits = new SendLimits();
    const slow = { perRecipient: { messages: 1, perMs: 60_000 } };
    expect(await limits.acquire('ch', 'r', slow)).toBe(0);
    const wait = await limits.acquire('ch', 'r', slow);
    expect(wait).toBeGreaterThan(30_000);
    expect(wait).toBeLessThanOrEqual(60_000);
  });

  it('takes a channel\'s messagesPerSecond over the platform default', () => {
    const defaults = { perAccount: { messages: 80, perMs: 1000 }, perRecipient: { messages: 1, perMs: 1000 } };
    expect(limitsFor(defaults, { messagesPerSecond: 5 })).toEqual({ perAccount: { messages: 5, perMs: 1000 }, perRecipient: { messages: 1, perMs: 1000 } });
    expect(limitsFor(defaults, { messagesPerSecond: 'fast' })).toBe(defaults);
    expect(limitsFor(defaults, {})).toBe(defaults);
  });
});
