import { createHmac, timingSafeEqual } from 'node:crypto';
import { Agent, request } from 'undici';
import { z } from 'zod';
import { formatPath, type MessageEvent, type OutboundMessage, outboundText } from '@signalbox/nodes';
import type { FieldIssue } from '../adapter.ts';
import { classifyHttp, type DeliveryResult } from '../delivery.ts';

/**
 * The generic webhook channel (DESIGN.md section 5): the public contract other systems integrate with.
 */
export const SIGNATURE_HEADER = 'x-signalbox-signature';

export function sign(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Constant-time check of `sha256=<hex>` against the HMAC of the raw body. */
export function verifySignature(body: Buffer, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const WebhookInbound = z
  .object({
    id: z.string().min(1).max(200),
    conversationId: z.string().min(1).max(200),
    from: z.object({ id: z.string().min(1).max(200), name: z.string().max(200).optional(), locale: z.string().max(35).optional() }),
    text: z.string().max(10_000).optional(),
    timestamp: z.string().datetime({ offset: true }).optional(),
    reply: z.object({ id: z.string().min(1), title: z.string() }).optional(),
    attachments: z
      .array(z.object({ type: z.enum(['image', 'audio', 'video', 'file']), url: z.string().url(), mimeType: z.string().optional(), name: z.string().optional() }))
      .max(10)
      .optional(),
  })
  .refine((b) => b.text !== undefined || b.reply !== undefined || (b.attachments?.length ?? 0) > 0, {
    message: 'a message needs text, reply or attachments',
    path: ['text'],
  });
export type WebhookInbound = z.infer<typeof WebhookInbound>;

export type ParseResult = { ok: true; event: MessageEvent } | { ok: false; error: 'malformed_json' | 'invalid_body'; issues: FieldIssue[] };

/** Parses a raw webhook body into a normalized message event, or says which fields are wrong. */
export function parseWebhook(raw: Buffer, now: Date = new Date()): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return { ok: false, error: 'malformed_json', issues: [{ path: '$', message: (error as Error).message }] };
  }
  const parsed = WebhookInbound.safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: 'invalid_body', issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  }
  const body = parsed.data;
  const media = (body.attachments ?? []).map((a) => ({ type: a.type, url: a.url, mimeType: a.mimeType, name: a.name }));
  const first = body.attachments?.[0];
  const content: MessageEvent['content'] = body.reply
    ? { type: 'interactive', id: body.reply.id, title: body.reply.title, kind: 'button' }
    : first
      ? { type: first.type, url: first.url, mimeType: first.mimeType, name: first.name, caption: body.text }
      : { type: 'text', text: body.text ?? '' };
  return {
    ok: true,
    event: {
      kind: 'message',
      id: body.id,
      channelType: 'webhook',
      timestamp: body.timestamp ?? now.toISOString(),
      thread: { id: body.conversationId, kind: 'direct' },
      raw: json,
      messageId: body.id,
      from: { id: body.from.id, name: body.from.name, locale: body.from.locale },
      content,
      locale: body.from.locale,
      ...(media.length > 1 ? { attachments: media } : {}),
      echo: false,
    },
  };
}

export interface WebhookOutbound {
  id: string;
  conversationId: string;
  to: string;
  inReplyTo: string | null;
  text: string;
  buttons: { id: string; title: string }[];
  attachments: { type: string; url: string; mimeType?: string; name?: string }[];
}

export function renderWebhook(input: { id: string; conversationId: string; to: string; inReplyTo: string | null; message: OutboundMessage }): WebhookOutbound {
  const { message } = input;
  const buttons =
    message.type === 'text' || message.type === 'media'
      ? message.buttons
      : message.type === 'list'
        ? message.sections.flatMap((s) => s.rows.map((r) => ({ id: r.id, title: r.title })))
        : [];
  const attachments = message.type === 'media' ? [message.attachment] : [];
  return { id: input.id, conversationId: input.conversationId, to: input.to, inReplyTo: input.inReplyTo, text: outboundText(message), buttons, attachments };
}

/**
 * POSTs a reply to the channel's callback URL, signed like inbound requests. The outbox row id travels as the
 * body's `id` and the `Idempotency-Key` header, so a receiver can drop a repeat after an interrupted send.
 */
// One keep-alive pool per callback origin; undici's request() costs far less CPU per call than fetch().
const callbackAgent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });

export async function deliverWebhook(callbackUrl: string, secret: string, payload: WebhookOutbound, timeoutMs = 10_000): Promise<DeliveryResult> {
  const body = JSON.stringify(payload);
  try {
    const response = await request(callbackUrl, {
      method: 'POST',
      dispatcher: callbackAgent,
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(body, secret), 'idempotency-key': payload.id },
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await response.body.text().catch(() => '');
    const retryAfter = response.headers['retry-after'];
    return classifyHttp(response.statusCode, typeof retryAfter === 'string' ? retryAfter : null, text);
  } catch (error) {
    return { ok: false, retry: true, error: `callback unreachable: ${(error as Error).message}` };
  }
}
