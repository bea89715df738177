import { z } from 'zod';
import { formatPath, type OutboundMessage } from '@signalbox/nodes';
import type { ChannelSecrets } from '../adapter.ts';
import { parseRetryAfter, type DeliveryResult } from '../delivery.ts';
import { apiUrl, performCall, sendCalls, type OutboundAdapter, type OutboundContext, type PlatformAnswer, type PlatformCall, type Rendered } from '../outbound.ts';
import { composeSmsText, splitNote, splitText } from '../sms/render.ts';
import { BandwidthConfig } from './config.ts';

/**
 * Sends through Bandwidth's Messaging API v2: `POST /api/v2/users/{accountId}/messages`, JSON
 * `{ applicationId, to: [...], from, text, media: [urls], tag }`, answered 202 with the message `id`.
 *
 * Auth: API credentials (OAuth 2.0 client credentials) are exchanged for a bearer token in `send`, since that is
 * a network call and `render` is pure; legacy API users (HTTP Basic, retired by Bandwidth on 2 December 2026)
 * are rendered directly.
 *
 * Bandwidth keeps no idempotency key either; the outbox row id goes out as `tag`, which Bandwidth repeats in
 * every callback of the message, so an ambiguous send can be told apart afterwards.
 */
const TEXT_LIMIT = 2048;

/** Bandwidth's default account rate is 1 message per second; the sender uses the channel's `messagesPerSecond` instead. */
export const bandwidthOutbound: OutboundAdapter = {
  type: 'bandwidth',
  limits: { perAccount: { messages: 1, perMs: 1000 } },
  render: renderBandwidth,
  send: sendBandwidth,
};

export function renderBandwidth(message: OutboundMessage, context: OutboundContext): Rendered {
  const parsed = BandwidthConfig.safeParse(context.config);
  if (!parsed.success) return { ok: false, error: `bandwidth config: ${parsed.error.issues.map((i) => `${formatPath(i.path)} ${i.message}`).join('; ')}` };
  const config = parsed.data;
  if (!hasOAuth(context.secrets) && !basicAuthorization(context.secrets)) {
    return { ok: false, error: 'bandwidth: the channel has no API client ID / secret (or legacy API username / password)' };
  }
  const composed = composeSmsText(message);
  const limits = { maxChars: TEXT_LIMIT, maxSegments: config.maxSegments };
  const parts = splitText(composed.text, limits);
  if (parts.length === 0 && !composed.attachment) return { ok: false, error: 'bandwidth: nothing to send (empty text and no media)' };
  const to = recipients(context, config.from);
  const url = apiUrl(config.apiBaseUrl, `api/v2/users/${encodeURIComponent(config.accountId)}/messages`);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const basic = hasOAuth(context.secrets) ? null : basicAuthorization(context.secrets);
  if (basic) headers.authorization = basic;
  const texts = parts.length > 0 ? parts : [''];
  const calls = texts.map((text, index): PlatformCall => {
    const body: Record<string, unknown> = { applicationId: config.applicationId, to, from: config.from, text, tag: context.idempotencyKey };
    if (index === 0 && composed.attachment) body.media = [composed.attachment.url];
    return { method: 'POST', url, headers, body };
  });
  return { ok: true, calls, degraded: [...composed.degraded, ...splitNote(parts, limits)] };
}

/** A group thread (see inbound.ts) is answered to every participant but our own number. */
function recipients(context: OutboundContext, from: string): string[] {
  if (!context.thread.includes(',')) return [context.to];
  return context.thread.split(',').filter((number) => number !== '' && number !== from);
}

function hasOAuth(secrets: ChannelSecrets): boolean {
  return Boolean(secrets.clientId && secrets.clientSecret);
}

function basicAuthorization(secrets: ChannelSecrets): string | null {
  if (!secrets.apiUsername || !secrets.apiPassword) return null;
  return `Basic ${Buffer.from(`${secrets.apiUsername}:${secrets.apiPassword}`).toString('base64')}`;
}

export async function sendBandwidth(calls: PlatformCall[], context: OutboundContext): Promise<DeliveryResult> {
  if (!hasOAuth(context.secrets)) return sendCalls(calls, classifyBandwidth);
  const parsed = BandwidthConfig.safeParse(context.config);
  if (!parsed.success) return { ok: false, retry: false, error: 'bandwidth config is invalid' };
  const credentials = { tokenUrl: parsed.data.tokenUrl, clientId: context.secrets.clientId ?? '', clientSecret: context.secrets.clientSecret ?? '' };
  for (let attempt = 1; ; attempt++) {
    const token = await bandwidthTokens.get(credentials, context.now);
    if (!token.ok) return token.result;
    let unauthorized = false;
    const signed = calls.map((call) => ({ ...call, headers: { ...call.headers, authorization: `Bearer ${token.accessToken}` } }));
    const result = await sendCalls(signed, (answer) => {
      unauthorized = answer.status === 401;
      return classifyBandwidth(answer);
    });
    // A token can be revoked or expire early: fetch a fresh one once before calling the failure final.
    if (!unauthorized || attempt === 2) return result;
    bandwidthTokens.forget(credentials);
  }
}

const Accepted = z.looseObject({ id: z.string().min(1) });
const BandwidthError = z.looseObject({
  type: z.string().optional(),
  description: z.string().optional(),
  fieldErrors: z.array(z.looseObject({ fieldName: z.string().optional(), description: z.string().optional() })).optional(),
});

/** Reads Bandwidth's answer: 202 with the message `id`, or `{ type, description, fieldErrors }`. */
export function classifyBandwidth(answer: PlatformAnswer): DeliveryResult {
  if (answer.status >= 200 && answer.status < 300) {
    const accepted = Accepted.safeParse(answer.json);
    return { ok: true, externalId: accepted.success ? accepted.data.id : null };
  }
  if (answer.status === 0) return { ok: false, retry: true, error: `Bandwidth unreachable: ${answer.text}` };
  const parsed = BandwidthError.safeParse(answer.json);
  const data = parsed.success ? parsed.data : {};
  const fields = (data.fieldErrors ?? []).map((f) => `${f.fieldName ?? '?'}: ${f.description ?? ''}`).join('; ');
  const reason = [data.description ?? (answer.text.slice(0, 300) || `HTTP ${answer.status}`), fields].filter(Boolean).join(' - ');
  const error = `${data.type ?? `HTTP ${answer.status}`}: ${reason}`;
  const retry = answer.status === 429 || answer.status >= 500;
  return retry ? { ok: false, retry, retryAfterMs: parseRetryAfter(answer.headers['retry-after']), error } : { ok: false, retry: false, error };
}

interface OAuthCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

type TokenResult = { ok: true; accessToken: string } | { ok: false; result: DeliveryResult };

const TokenAnswer = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().positive().optional() });
const TokenError = z.looseObject({ error: z.string().optional(), error_description: z.string().optional() });

/**
 * Bearer tokens per API credential, reused until a minute before they expire (Bandwidth issues them for an
 * hour). One token request at a time per credential, however many sends wait for it.
 */
export class BandwidthTokens {
  private readonly cache = new Map<string, { accessToken: string; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<TokenResult>>();

  async get(credentials: OAuthCredentials, now: Date): Promise<TokenResult> {
    const key = keyOf(credentials);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt - 60_000 > now.getTime()) return { ok: true, accessToken: cached.accessToken };
    let request = this.pending.get(key);
    if (!request) {
      request = this.fetchToken(credentials, now).finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    return request;
  }

  forget(credentials: OAuthCredentials): void {
    this.cache.delete(keyOf(credentials));
  }

  private async fetchToken(credentials: OAuthCredentials, now: Date): Promise<TokenResult> {
    const answer = await performCall({
      method: 'POST',
      url: credentials.tokenUrl,
      headers: {
        authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const token = TokenAnswer.safeParse(answer.json);
    if (answer.status >= 200 && answer.status < 300 && token.success) {
      const expiresAt = now.getTime() + (token.data.expires_in ?? 3600) * 1000;
      this.cache.set(keyOf(credentials), { accessToken: token.data.access_token, expiresAt });
      return { ok: true, accessToken: token.data.access_token };
    }
    const failure = TokenError.safeParse(answer.json);
    const reason = (failure.success ? (failure.data.error_description ?? failure.data.error) : undefined) ?? (answer.text.slice(0, 300) || `HTTP ${answer.status}`);
    const retry = answer.status === 0 || answer.status === 429 || answer.status >= 500;
    return { ok: false, result: { ok: false, retry, retryAfterMs: parseRetryAfter(answer.headers['retry-after']), error: `oauth token: ${reason}` } };
  }
}

function keyOf(credentials: OAuthCredentials): string {
  return `${credentials.tokenUrl}\n${credentials.clientId}\n${credentials.clientSecret}`;
}

const bandwidthTokens = new BandwidthTokens();
