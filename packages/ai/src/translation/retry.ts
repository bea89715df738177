import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import { z } from 'zod';
import { TranslationError } from './errors.ts';

export const retryPolicySchema = z.object({
  /** Further attempts after the first one, for rate limits and provider-side failures only. */
  retries: z.number().int().min(0).max(10).default(3),
  /** First backoff delay; it doubles per retry and is multiplied by a random 1–2 so clients do not retry in step. */
  minDelayMs: z.number().int().min(0).max(60_000).default(500),
  maxDelayMs: z.number().int().min(0).max(300_000).default(8_000),
  /**
   * The longest `Retry-After` we wait for inside one call. A provider asking for more (a daily limit) makes
   * the call fail at once as `rate_limited` with `retryAfterMs`, so the flow can decide instead of hanging.
   */
  maxRetryAfterMs: z.number().int().min(0).max(600_000).default(30_000),
});

export type RetryPolicy = z.output<typeof retryPolicySchema>;

export const defaultRetryPolicy: RetryPolicy = retryPolicySchema.parse({});

/**
 * Whether another attempt can help. Timeouts are not retried: a provider that is slow now is likely slow on the
 * next try too, and the customer is waiting for the whole sum.
 */
export function isRetryable(error: unknown, policy: RetryPolicy): boolean {
  if (!(error instanceof TranslationError)) return false;
  if (error.kind === 'unavailable') return true;
  if (error.kind === 'rate_limited') return error.retryAfterMs === undefined || error.retryAfterMs <= policy.maxRetryAfterMs;
  return false;
}

/**
 * Runs `attempt` until it succeeds, fails in a way retrying cannot fix, or the retries are used up. A provider's
 * `Retry-After` is waited for in full before the usual jittered backoff, so we never come back earlier than told.
 * The caller's signal cancels waiting as well as the attempt in flight.
 */
export function withRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  return pRetry(attempt, {
    retries: policy.retries,
    factor: 2,
    minTimeout: policy.minDelayMs,
    maxTimeout: Math.max(policy.minDelayMs, policy.maxDelayMs),
    randomize: true,
    signal,
    shouldRetry: ({ error }) => isRetryable(error, policy),
    onFailedAttempt: async ({ error, retriesLeft }) => {
      if (retriesLeft <= 0 || !isRetryable(error, policy)) return;
      const wait = error instanceof TranslationError ? error.retryAfterMs : undefined;
      if (wait !== undefined && wait > 0) await pause(wait, signal);
    },
  });
}

/** Sleeps, or rejects with the caller's own abort reason (not Node's generic AbortError) when cancelled. */
async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

/**
 * Reads how long a provider asked us to wait: `retry-after-ms` (OpenAI-style, milliseconds) first, then
 * `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3). Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms.trim()));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
