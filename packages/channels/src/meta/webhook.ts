import { hmac, safeEqual, type ChannelSecrets, type HandshakeReply, type InboundRequest, type Verification } from '../adapter.ts';

/**
 * What WhatsApp Cloud, Messenger and Instagram share: Meta's webhook verification handshake and the
 * `X-Hub-Signature-256` header (HMAC-SHA256 of the raw body with the app secret).
 * Secrets: `appSecret` (the Meta app's secret) and `verifyToken` (chosen by the shop, pasted into Meta's console).
 */
export const META_SIGNATURE_HEADER = 'x-hub-signature-256';

/** `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`: echo the challenge when the token matches. */
export function metaHandshake(request: InboundRequest, secrets: ChannelSecrets): HandshakeReply | null {
  if (request.method !== 'GET') return null;
  const query = new URL(request.url, 'http://localhost').searchParams;
  const mode = query.get('hub.mode');
  if (mode === null) return null;
  const challenge = query.get('hub.challenge') ?? '';
  const expected = secrets.verifyToken ?? '';
  if (mode !== 'subscribe') return { status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'bad_handshake', message: `hub.mode must be "subscribe", got "${mode}"` }) };
  if (!expected || !safeEqual(query.get('hub.verify_token') ?? '', expected)) {
    return { status: 403, contentType: 'application/json', body: JSON.stringify({ error: 'bad_verify_token', message: 'hub.verify_token does not match the channel\'s verify token' }) };
  }
  return { status: 200, contentType: 'text/plain', body: challenge };
}

export function metaSignature(body: Buffer, appSecret: string): string {
  return `sha256=${hmac('sha256', appSecret, body, 'hex')}`;
}

export function verifyMetaSignature(request: InboundRequest, secrets: ChannelSecrets): Verification {
  const appSecret = secrets.appSecret;
  if (!appSecret) return { ok: false, reason: 'the channel has no appSecret to check X-Hub-Signature-256 with' };
  const header = request.headers[META_SIGNATURE_HEADER];
  if (!header) return { ok: false, reason: 'missing X-Hub-Signature-256 header' };
  return safeEqual(header.trim().toLowerCase(), metaSignature(request.body, appSecret))
    ? { ok: true }
    : { ok: false, reason: 'X-Hub-Signature-256 does not match the body' };
}
