import { describe, expect, it } from 'vitest';
import { TranslationError } from './errors.ts';
import { parseRetryAfter, retryPolicySchema, withRetry } from './retry.ts';

const policy = retryPolicySchema.parse({ retries: 3, minDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1_000 });

describe('Retry-After', () => {
  it('reads seconds, HTTP dates and OpenAI-style milliseconds', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }), now)).toBe(3_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Tue, 24 Nov 2026 10:00:07 GMT' }), now)).toBe(7_000);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });
});

describe('retrying provider calls', () => {
  it('retries provider-side failures and rate limits, then succeeds', async () => {
    const failures = [new TranslationError('unavailable', 'p', 'HTTP 503'), new TranslationError('rate_limited', 'p', 'slow down', { retryAfterMs: 20 })];
    let calls = 0;
    const started = performance.now();
    const result = await withRetry(async () => {
      calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'ok';
    }, policy);
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
  });

  it('does not retry what retrying cannot fix', async () => {
    for (const kind of ['auth', 'quota', 'bad_request', 'timeout', 'bad_response'] as const) {
      let calls = 0;
      await expect(
        withRetry(async () => {
          calls++;
          throw new TranslationError(kind, 'p', kind);
        }, policy),
      ).rejects.toThrow(kind);
      expect(calls).toBe(1);
    }
  });

  it('fails at once when the provider asks for a longer wait than the policy allows', async () => {
    let calls = 0;
    const error = await withRetry(async () => {
      calls++;
      throw new TranslationError('rate_limited', 'p', 'daily limit', { retryAfterMs: 3_600_000 });
    }, policy).catch((caught: unknown) => caught);
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(TranslationError);
    expect((error as TranslationError).retryAfterMs).toBe(3_600_000);
  });

  it('stops waiting when the caller gives up', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(new Error('customer left')), 30);
    const pending = withRetry(
      async () => {
        throw new TranslationError('rate_limited', 'p', 'wait', { retryAfterMs: 900 });
      },
      policy,
      controller.signal,
    );
    await expect(pending).rejects.toThrow('customer left');
    expect(performance.now() - started).toBeLessThan(500);
  });
});
