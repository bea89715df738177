import { z } from 'zod';
import { formatPath, type OutboundMessage } from '@signalbox/nodes';
import type { ChannelSecrets } from '../adapter.ts';
import { parseRetryAfter, type DeliveryResult } from '../delivery.ts';
import { apiUrl, sendCalls, type OutboundAdapter, type OutboundContext, type PlatformAnswer, type PlatformCall, type Rendered } from '../outbound.ts';
import { composeSmsText, splitNote, splitText, type TextLimits } from '../sms/render.ts';
import { TwilioConfig } from './config.ts';

/**
 * Sends through Twilio's Messages resource: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, a form body,
 * HTTP Basic auth (Account SID + auth token, or an API key). One call per message part: Twilio takes at most
 * 1600 characters of Body, so longer texts go out as several messages, the media (MMS / WhatsApp) on the first.
 *
 * SMS has no buttons or lists: both become numbered options. WhatsApp through Twilio could show real buttons
 * only through pre-built Content templates (a ContentSid per button set), which a flow's ad-hoc buttons do not
 * have, so WhatsApp gets numbered options too; platform templates go out by their configured ContentSid.
 *
 * Twilio's Messages API takes no idempotency key: a send that timed out after Twilio accepted it is sent again
 * on retry. The sender records that ambiguity; nothing here can prevent it.
 */
const BODY_LIMIT = 1600;
const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Twilio error codes whose reason is worth a word to the person reading the failure. */
const ERROR_HINTS: Readonly<Record<number, string>> = {
  20003: 'check the Account SID and auth token / API key',
  21211: 'the To number is not a valid phone number',
  21408: 'sending to this region is not enabled in the Twilio geo permissions',
  21610: 'the recipient replied STOP; they must reply START before they can be messaged again',
  21614: 'the To number is not a mobile number that can receive SMS',
  63016: 'outside the WhatsApp 24-hour window: send an approved template (ContentSid)',
};

/** Retrying these may succeed later; every other 4xx is final. 21611: the sender's queue holds over 10 hours of messages. */
const QUEUE_FULL = 21611;
const TOO_MANY_REQUESTS = 20429;

export const twilioOutbound: OutboundAdapter = {
  type: 'twilio',
  // A US long code sends about one message per second; the sender replaces this with the channel's
  // `messagesPerSecond` setting (10DLC, toll-free and short codes are faster). Twilio queues the excess itself.
  limits: { perAccount: { messages: 1, perMs: 1000 } },
  render: renderTwilio,
  send: (calls) => sendCalls(calls, classifyTwilio),
};

export function renderTwilio(message: OutboundMessage, context: OutboundContext): Rendered {
  const parsed = TwilioConfig.safeParse(context.config);
  if (!parsed.success) return { ok: false, error: `twilio config: ${parsed.error.issues.map((i) => `${formatPath(i.path)} ${i.message}`).join('; ')}` };
  const config = parsed.data;
  const authorization = basicAuthorization(config.accountSid, context.secrets);
  if (!authorization) return { ok: false, error: 'twilio: the channel has no authToken (or API key) to send with' };
  const whatsapp = context.to.startsWith('whatsapp:');
  const contentSid = message.type === 'template' && whatsapp ? contentSidOf(config, message.name, message.language) : undefined;
  if (whatsapp && contentSid === undefined && outsideWindow(context)) {
    const what = message.type === 'template' ? `template "${message.name}" has no Content SID in the channel settings` : 'only a template may be sent';
    return { ok: false, error: `63016: outside the WhatsApp 24-hour window; ${what}` };
  }
  const base = { url: apiUrl(config.apiBaseUrl, `2010-04-01/Accounts/${config.accountSid}/Messages.json`), authorization };
  const address = addressing(config, context.to);
  if (message.type === 'template' && contentSid !== undefined) {
    const variables = Object.fromEntries(message.parameters.map((value, index) => [String(index + 1), value]));
    const fields: [string, string][] = [...address, ['ContentSid', contentSid]];
    if (message.parameters.length > 0) fields.push(['ContentVariables', JSON.stringify(variables)]);
    return { ok: true, calls: [formCall(base, fields)], degraded: [] };
  }
  const composed = composeSmsText(message);
  const limits: TextLimits = whatsapp ? { maxChars: BODY_LIMIT } : { maxChars: BODY_LIMIT, maxSegments: config.maxSegments };
  const parts = splitText(composed.text, limits);
  const degraded = [...composed.degraded, ...splitNote(parts, limits)];
  if (message.type === 'template' && whatsapp) degraded.push('no Content SID configured for it: WhatsApp refuses it outside the 24-hour window');
  if (parts.length === 0 && !composed.attachment) return { ok: false, error: 'twilio: nothing to send (empty text and no media)' };
  const bodies = parts.length > 0 ? parts : [''];
  const calls = bodies.map((body, index) => {
    const fields: [string, string][] = [...address];
    if (body !== '') fields.push(['Body', body]);
    if (index === 0 && composed.attachment) fields.push(['MediaUrl', composed.attachment.url]);
    return formCall(base, fields);
  });
  return { ok: true, calls, degraded };
}

/** To, the sender and the status callback: the fields every call of one message repeats. */
function addressing(config: TwilioConfig, to: string): [string, string][] {
  const fields: [string, string][] = [['To', to]];
  if (config.messagingServiceSid) fields.push(['MessagingServiceSid', config.messagingServiceSid]);
  else if (config.from) fields.push(['From', senderFor(config.from, to)]);
  if (config.statusCallbackUrl) fields.push(['StatusCallback', config.statusCallbackUrl]);
  return fields;
}

/** One Twilio number can send SMS and WhatsApp: the From channel follows the customer's (To's) channel. */
function senderFor(from: string, to: string): string {
  const bare = from.replace(/^whatsapp:/, '');
  return to.startsWith('whatsapp:') ? `whatsapp:${bare}` : bare;
}

function contentSidOf(config: TwilioConfig, name: string, language: string): string | undefined {
  return config.contentSids[`${name}:${language}`] ?? config.contentSids[name];
}

function outsideWindow(context: OutboundContext): boolean {
  return context.lastInboundAt !== null && context.now.getTime() - context.lastInboundAt.getTime() > WHATSAPP_WINDOW_MS;
}

function basicAuthorization(accountSid: string, secrets: ChannelSecrets): string | null {
  const [user, password] = secrets.apiKeySid && secrets.apiKeySecret ? [secrets.apiKeySid, secrets.apiKeySecret] : [accountSid, secrets.authToken];
  if (!password) return null;
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function formCall(base: { url: string; authorization: string }, fields: [string, string][]): PlatformCall {
  return {
    method: 'POST',
    url: base.url,
    headers: { authorization: base.authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
  };
}

const Created = z.looseObject({ sid: z.string().min(1) });
const TwilioError = z.looseObject({
  code: z.union([z.number(), z.string().transform(Number)]).optional(),
  message: z.string().optional(),
  more_info: z.string().optional(),
});

/** Reads Twilio's answer: 201 with the message's `sid`, or `{ code, message, more_info, status }`. */
export function classifyTwilio(answer: PlatformAnswer): DeliveryResult {
  if (answer.status >= 200 && answer.status < 300) {
    const created = Created.safeParse(answer.json);
    return { ok: true, externalId: created.success ? created.data.sid : null };
  }
  if (answer.status === 0) return { ok: false, retry: true, error: `Twilio unreachable: ${answer.text}` };
  const parsed = TwilioError.safeParse(answer.json);
  const code = parsed.success && Number.isFinite(parsed.data.code) ? parsed.data.code : undefined;
  const reason = (parsed.success ? parsed.data.message : undefined) ?? (answer.text.slice(0, 300) || `HTTP ${answer.status}`);
  const hint = code === undefined ? undefined : ERROR_HINTS[code];
  const error = `${code ?? `HTTP ${answer.status}`}: ${reason}${hint ? ` (${hint})` : ''}`;
  const retryAfterMs = parseRetryAfter(answer.headers['retry-after']);
  if (answer.status === 429 || code === TOO_MANY_REQUESTS || answer.status >= 500) return { ok: false, retry: true, retryAfterMs, error };
  if (code === QUEUE_FULL) return { ok: false, retry: true, retryAfterMs: retryAfterMs ?? 60_000, error };
  return { ok: false, retry: false, error };
}
