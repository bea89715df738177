import { hmac, safeEqual, type InboundAdapter, type InboundRequest, type ChannelSecrets, type Verification } from '../adapter.ts';
import { normalizeLineWebhook } from './webhook-events.ts';

export const LINE_SIGNATURE_HEADER = 'x-line-signature';

/** Base64 HMAC-SHA256 of the raw body keyed with the channel secret (Messaging API reference, "Signature validation"). */
export function lineSignature(body: Buffer, channelSecret: string): string {
  return hmac('sha256', channelSecret, body, 'base64');
}

export function verifyLineSignature(request: InboundRequest, secrets: ChannelSecrets): Verification {
  const channelSecret = secrets.channelSecret;
  if (!channelSecret) return { ok: false, reason: 'the channel has no channelSecret to check X-Line-Signature with' };
  const header = request.headers[LINE_SIGNATURE_HEADER];
  if (!header) return { ok: false, reason: 'missing X-Line-Signature header' };
  return safeEqual(header.trim(), lineSignature(request.body, channelSecret)) ? { ok: true } : { ok: false, reason: 'X-Line-Signature does not match the body' };
}

/**
 * LINE Messaging API webhooks. LINE has no setup handshake: the console's "Verify" button POSTs a signed
 * `{ destination, events: [] }`, which verifies and normalizes to no events (the ingress answers 200, as LINE
 * requires). LINE redelivers a webhook that got no 2xx (when redelivery is on) with the same `webhookEventId`
 * and `deliveryContext.isRedelivery: true`, so the ingress's dedupe by event id drops the repeat.
 * Secrets: `channelSecret`.
 */
export const lineInbound: InboundAdapter = {
  type: 'line',
  verify: verifyLineSignature,
  normalize: ({ body, now }) => Promise.resolve(normalizeLineWebhook(body, now)),
};
