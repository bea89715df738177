/** What a channel's send API answered, in the terms the sender acts on. */
export type DeliveryResult =
  | { ok: true; externalId: string | null }
  | { ok: false; retry: boolean; retryAfterMs?: number; error: string };

/**
 * `Retry-After` is either seconds or an HTTP date (RFC 9110 §10.2.3). Returns milliseconds, or undefined
 * when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Classifies an HTTP answer from a platform: 2xx sent; 408, 425, 429 and 5xx retried; other 4xx permanent. */
export function classifyHttp(status: number, retryAfter: string | null, body: string): DeliveryResult {
  if (status >= 200 && status < 300) return { ok: true, externalId: null };
  const retry = status === 408 || status === 425 || status === 429 || status >= 500;
  const snippet = body.length > 300 ? `${body.slice(0, 300)}…` : body;
  return { ok: false, retry, retryAfterMs: parseRetryAfter(retryAfter), error: `HTTP ${status}${snippet ? `: ${snippet}` : ''}` };
}
