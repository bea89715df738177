import { z } from 'zod';
import { parseRetryAfter, type DeliveryResult } from '../delivery.ts';
import type { PlatformAnswer } from '../outbound.ts';

/**
 * Reads the push API's answers (Messaging API reference: "Send push message", "Status codes", "Error responses";
 * "Retry failed API requests").
 *
 * - 200 `{ sentMessages: [{ id, quoteToken? }] }`: sent. The message's id is the last sent message object's:
 *   when a message takes several objects (an image, then its caption with buttons) the last one carries the
 *   words and choices the customer answers or quotes, and `sendCalls` likewise keeps the last call's id.
 * - 409: a request with the same `X-Line-Retry-Key` was already accepted, so this retry is a success. LINE
 *   answers a repeated push with the first request's `sentMessages` and `X-Line-Accepted-Request-Id`; the
 *   message id is read from the former, the accepted request's id is the fallback.
 * - 429: the per-channel rate limit, too many messages to one user, or the monthly message quota. LINE sends no
 *   Retry-After as a rule, so rate limiting is retried after a second (its limits are per second) unless it
 *   does; the quota ("You have reached your monthly limit.") does not come back before next month or a plan
 *   change, so it fails at once with LINE's words.
 * - 5xx and network failures: retried; the retry key makes that safe.
 * - Any other 4xx (400 invalid message or recipient, 401 bad token, 403 not allowed): failed, with LINE's
 *   `message` and each `details[]` entry `property: message`.
 */
const RATE_LIMIT_WAIT_MS = 1000;
const MONTHLY_LIMIT = /monthly limit/i;

/** Message ids are strings in LINE's examples and "Number" in its tables; JSON numbers that large lose digits, so strings are preferred. */
const SentMessages = z.looseObject({
  sentMessages: z.array(z.looseObject({ id: z.union([z.string().min(1), z.number()]).transform(String) })).min(1),
});

const ErrorBody = z.looseObject({
  message: z.string().optional(),
  details: z.array(z.looseObject({ message: z.string().optional(), property: z.string().optional() })).optional(),
});

export function classifyLinePush(answer: PlatformAnswer): DeliveryResult {
  if (answer.status >= 200 && answer.status < 300) return { ok: true, externalId: lastSentMessageId(answer.json) };
  if (answer.status === 409) return { ok: true, externalId: lastSentMessageId(answer.json) ?? answer.headers['x-line-accepted-request-id'] ?? null };
  if (answer.status === 0) return { ok: false, retry: true, error: `LINE unreachable: ${answer.text}` };
  const reason = describe(answer);
  if (answer.status === 429) {
    if (MONTHLY_LIMIT.test(reason)) return { ok: false, retry: false, error: reason };
    return { ok: false, retry: true, retryAfterMs: parseRetryAfter(answer.headers['retry-after']) ?? RATE_LIMIT_WAIT_MS, error: reason };
  }
  if (answer.status >= 500 || answer.status === 408) {
    return { ok: false, retry: true, retryAfterMs: parseRetryAfter(answer.headers['retry-after']), error: reason };
  }
  return { ok: false, retry: false, error: reason };
}

function lastSentMessageId(json: unknown): string | null {
  const parsed = SentMessages.safeParse(json);
  return parsed.success ? (parsed.data.sentMessages[parsed.data.sentMessages.length - 1]?.id ?? null) : null;
}

/** `<HTTP status>: <message> [<property>: <detail>; …] (x-line-request-id …)`: LINE has no error codes of its own. */
function describe(answer: PlatformAnswer): string {
  const body = ErrorBody.safeParse(answer.json);
  const message = body.success && body.data.message ? body.data.message : answer.text.slice(0, 300) || 'no error message';
  const details = body.success
    ? (body.data.details ?? []).map((d) => [d.property, d.message].filter(Boolean).join(': ')).filter((d) => d.length > 0)
    : [];
  const requestId = answer.headers['x-line-request-id'];
  return `${answer.status}: ${message}${details.length > 0 ? ` [${details.join('; ')}]` : ''}${requestId ? ` (x-line-request-id ${requestId})` : ''}`;
}
