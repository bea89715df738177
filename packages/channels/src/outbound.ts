import { Agent, request } from 'undici';
import type { OutboundMessage } from '@signalbox/nodes';
import type { ChannelSecrets } from './adapter.ts';
import { parseRetryAfter, type DeliveryResult } from './delivery.ts';

/**
 * The outbound half of a channel adapter: render a normalized outbound message into the platform's request(s)
 * (a pure function, so tests check payloads without a network), then send them and classify the answer in the
 * sender's terms (sent with the platform's message id / retry, maybe after a delay / failed with the reason).
 */

export interface OutboundContext {
  /** The channel's non-secret settings (`apiBaseUrl`, `phoneNumberId`, …), already validated by its schema. */
  config: Readonly<Record<string, unknown>>;
  secrets: ChannelSecrets;
  /** The customer's id on the platform (phone number, PSID, chat id, email address). */
  to: string;
  /** The conversation's thread id on the platform (a group, an email thread root). */
  thread: string;
  /** The thread's title where the platform has one (an email subject), for replies that must repeat it. */
  threadTitle: string | null;
  /** The platform id of the customer message this answers, when there is one. */
  inReplyTo: string | null;
  /** Stable across retries of the same reply (the outbox row id): platforms that take one drop repeats. */
  idempotencyKey: string;
  /** When the customer last wrote on this conversation (WhatsApp's 24-hour window); null when unknown. */
  lastInboundAt: Date | null;
  now: Date;
}

/** One HTTP request to a platform's API. */
export interface PlatformCall {
  method: 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  /** JSON bodies are objects (serialized when sent, so tests compare structure); form bodies are strings. */
  body: unknown;
}

export type Rendered =
  | { ok: true; calls: PlatformCall[]; degraded: string[] }
  /** The message cannot be sent on this channel at all (outside WhatsApp's 24-hour window without a template). */
  | { ok: false; error: string };

/** Rate limits the sender must respect for a platform (a limiter per account and per recipient). */
export interface PlatformLimits {
  perAccount?: { messages: number; perMs: number };
  perRecipient?: { messages: number; perMs: number };
}

export interface OutboundAdapter {
  type: string;
  limits: PlatformLimits;
  render(message: OutboundMessage, context: OutboundContext): Rendered;
  /**
   * Sends the rendered calls in order and classifies the platform's answer. When a message takes several
   * calls (a caption after an image), a failure retries from the first call: the platform may show a part
   * twice, never lose one.
   */
  send(calls: PlatformCall[], context: OutboundContext): Promise<DeliveryResult>;
}

/** A platform's answer to one call, for the adapter's classifier. */
export interface PlatformAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
  json: unknown;
}

const platformAgent = new Agent({ keepAliveTimeout: 30_000, connections: 32 });

/** Performs one call; network failures come back as status 0 so classifiers treat them as retryable. */
export async function performCall(call: PlatformCall, timeoutMs = 15_000): Promise<PlatformAnswer> {
  const isJson = typeof call.body !== 'string' && !Buffer.isBuffer(call.body);
  const headers: Record<string, string> = { ...call.headers };
  if (isJson && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  try {
    const response = await request(call.url, {
      method: call.method,
      dispatcher: platformAgent,
      headers,
      body: isJson ? JSON.stringify(call.body) : (call.body as string | Buffer),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text().catch(() => '');
    let json: unknown = null;
    try {
      json = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      json = null;
    }
    const flat: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(response.headers)) flat[name] = Array.isArray(value) ? value.join(', ') : value;
    return { status: response.statusCode, headers: flat, text, json };
  } catch (error) {
    return { status: 0, headers: {}, text: (error as Error).message, json: null };
  }
}

/**
 * Sends calls one after another with a per-platform classifier; the message's platform id is the last call's.
 * Classifiers see network failures as status 0.
 */
export async function sendCalls(calls: PlatformCall[], classify: (answer: PlatformAnswer) => DeliveryResult, timeoutMs?: number): Promise<DeliveryResult> {
  let last: DeliveryResult = { ok: false, retry: false, error: 'nothing to send' };
  for (const call of calls) {
    last = classify(await performCall(call, timeoutMs));
    if (!last.ok) return last;
  }
  return last;
}

/** The defaults every classifier starts from: 2xx sent, network errors / 408 / 425 / 429 / 5xx retried (honouring Retry-After), other 4xx failed. */
export function classifyDefault(answer: PlatformAnswer, describe: (answer: PlatformAnswer) => string): DeliveryResult {
  if (answer.status >= 200 && answer.status < 300) return { ok: true, externalId: null };
  if (answer.status === 0) return { ok: false, retry: true, error: `platform unreachable: ${answer.text}` };
  const retry = answer.status === 408 || answer.status === 425 || answer.status === 429 || answer.status >= 500;
  return { ok: false, retry, retryAfterMs: parseRetryAfter(answer.headers['retry-after']), error: `HTTP ${answer.status}: ${describe(answer)}` };
}

/** Joins a configured API base URL and a path without doubling or losing the slash. */
export function apiUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
