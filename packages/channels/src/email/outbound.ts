import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { z } from 'zod';
import { formatPath, type OutboundMessage } from '@signalbox/nodes';
import type { DeliveryResult } from '../delivery.ts';
import type { OutboundAdapter, OutboundContext, PlatformCall, Rendered } from '../outbound.ts';
import { EmailConfig } from './config.ts';
import { threadTitle } from './incoming-mail.ts';

/**
 * Email out, over SMTP. The outbound contract's `PlatformCall` is shaped for HTTP APIs; a mail is rendered as
 * ONE call whose `url` is `smtp://host:port` and whose `body` is the nodemailer message, so `render` stays a
 * pure, testable description and the sender stores it like any other call. `send` therefore talks SMTP
 * through nodemailer instead of `sendCalls` (there is no HTTP request to make).
 */

/** The nodemailer message `render` produces and `send` reads back (validated: a stored call is just JSON). */
export const RenderedMail = z.object({
  from: z.object({ name: z.string(), address: z.string() }),
  to: z.string().min(1),
  replyTo: z.string().optional(),
  subject: z.string(),
  /** Deterministic per outbox row (`idempotencyKey`): a resend after a crash repeats the id, and receiving servers and clients can drop the twin. */
  messageId: z.string().regex(/^<[^<>\s]+>$/),
  inReplyTo: z.string().optional(),
  references: z.array(z.string()).optional(),
  text: z.string(),
  html: z.string(),
});
export type RenderedMail = z.infer<typeof RenderedMail>;

/**
 * No platform publishes a rate for SMTP; relays throttle bursts per sender (Gmail and Microsoft 365 answer 4xx
 * "try again later"). A modest pace protects the shop's sender reputation; per recipient, one reply thread
 * should not turn into a flood of mails.
 */
const limits = { perAccount: { messages: 10, perMs: 1_000 }, perRecipient: { messages: 20, perMs: 60_000 } };

export const emailOutbound: OutboundAdapter = {
  type: 'email',
  limits,
  render: renderEmail,
  send: sendEmail,
};

export function renderEmail(message: OutboundMessage, context: OutboundContext): Rendered {
  const config = EmailConfig.safeParse(context.config);
  if (!config.success) return { ok: false, error: `email config: ${configIssues(config.error)}` };
  const { smtpHost, smtpPort, fromAddress, fromName, replyTo } = config.data;
  const body = composeBody(message);
  const degraded = [...body.degraded];
  const subject = replySubject(context.threadTitle) ?? firstLine(body.text) ?? fromName ?? fromAddress;
  if (!context.threadTitle) degraded.push('no thread subject: the first line of the text is the subject');
  const inReplyTo = context.inReplyTo ? bracketed(context.inReplyTo) : undefined;
  const references = unique([context.thread, context.inReplyTo].filter((id): id is string => Boolean(id)).map(bracketed));
  const mail: RenderedMail = {
    from: { name: fromName ?? '', address: fromAddress },
    to: context.to,
    ...(replyTo ? { replyTo } : {}),
    subject,
    messageId: outboundMessageId(context.idempotencyKey, fromAddress),
    ...(inReplyTo ? { inReplyTo } : {}),
    ...(references.length > 0 ? { references } : {}),
    text: body.text,
    html: body.html,
  };
  const call: PlatformCall = { method: 'POST', url: `smtp://${smtpHost}:${smtpPort}`, headers: {}, body: mail };
  return { ok: true, calls: [call], degraded };
}

/** `<sha256(from, key)@from-domain>`: the same outbox row always gets the same Message-ID. */
export function outboundMessageId(idempotencyKey: string, fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1) || 'signalbox.invalid';
  const digest = createHash('sha256').update(`${fromAddress}\n${idempotencyKey}`).digest('hex').slice(0, 32);
  return `<signalbox.${digest}@${domain}>`;
}

function replySubject(title: string | null): string | null {
  const bare = title ? threadTitle(title) : '';
  return bare ? `Re: ${bare}` : null;
}

function firstLine(text: string): string | null {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim();
  if (!line) return null;
  return line.length > 78 ? `${line.slice(0, 77)}…` : line;
}

function bracketed(id: string): string {
  return `<${id.replace(/^<|>$/g, '')}>`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

interface Body {
  text: string;
  html: string;
  degraded: string[];
}

interface Option {
  title: string;
  description?: string;
  heading?: string;
}

/** Email has no buttons: choices become numbered options the customer answers by writing the number or title. */
function composeBody(message: OutboundMessage): Body {
  switch (message.type) {
    case 'text': {
      const options = message.buttons.map((b) => ({ title: b.title }));
      return withOptions(paragraphs(message.text), options, options.length > 0 ? ['buttons sent as numbered options'] : []);
    }
    case 'media': {
      const { url, name, type } = message.attachment;
      const label = name ?? type;
      const text = [message.caption, `${label}: ${url}`].filter((part) => part !== undefined && part !== '').join('\n\n');
      const image = type === 'image' ? `<p><img src="${escapeHtml(url)}" alt="${escapeHtml(label)}" style="max-width:100%"></p>` : '';
      const html = `${message.caption ? htmlParagraphs(message.caption) : ''}${image}<p><a href="${escapeHtml(url)}">${escapeHtml(label)}</a></p>`;
      const options = message.buttons.map((b) => ({ title: b.title }));
      return withOptions({ text, html }, options, ['media sent as a link', ...(options.length > 0 ? ['buttons sent as numbered options'] : [])]);
    }
    case 'list': {
      const options = message.sections.flatMap((section) =>
        section.rows.map((row, index) => ({ title: row.title, description: row.description, heading: index === 0 && section.title ? section.title : undefined })),
      );
      return withOptions(paragraphs(message.text), options, ['list sent as numbered options']);
    }
    case 'template':
      return { ...paragraphs(message.fallbackText), degraded: ['template sent as its fallback text'] };
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
}

function paragraphs(text: string): { text: string; html: string } {
  return { text, html: htmlParagraphs(text) };
}

function withOptions(body: { text: string; html: string }, options: Option[], degraded: string[]): Body {
  if (options.length === 0) return { ...body, degraded };
  const lines: string[] = [];
  const items: string[] = [];
  options.forEach((option, index) => {
    if (option.heading) lines.push('', option.heading);
    const detail = option.description ? ` - ${option.description}` : '';
    lines.push(`${index + 1}. ${option.title}${detail}`);
    const heading = option.heading ? `<li style="list-style:none;margin-left:-1.5em"><strong>${escapeHtml(option.heading)}</strong></li>` : '';
    items.push(`${heading}<li>${escapeHtml(option.title)}${option.description ? ` <small>${escapeHtml(option.description)}</small>` : ''}</li>`);
  });
  const separator = body.text === '' ? '' : '\n\n';
  return { text: `${body.text}${separator}${lines.join('\n').replace(/^\n/, '')}`, html: `${body.html}<ol>${items.join('')}</ol>`, degraded };
}

function htmlParagraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .filter((p) => p !== '')
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * One SMTP connection per mail, closed afterwards: customer-service volumes do not need a pool, and a pool
 * would keep sockets (and credentials) alive between sends of channels that may have changed settings.
 */
export async function sendEmail(calls: PlatformCall[], context: OutboundContext): Promise<DeliveryResult> {
  const config = EmailConfig.safeParse(context.config);
  if (!config.success) return { ok: false, retry: false, error: `email config: ${configIssues(config.error)}` };
  let last: DeliveryResult = { ok: false, retry: false, error: 'nothing to send' };
  for (const call of calls) {
    const mail = RenderedMail.safeParse(call.body);
    if (!mail.success) return { ok: false, retry: false, error: `not a rendered mail: ${configIssues(mail.error)}` };
    last = await sendOne(mail.data, config.data, context);
    if (!last.ok) return last;
  }
  return last;
}

async function sendOne(mail: RenderedMail, config: EmailConfig, context: OutboundContext): Promise<DeliveryResult> {
  const { smtpUser, smtpPassword } = context.secrets;
  const transport = createTransport({
    host: config.smtpHost,
    port: config.smtpPort,
    secure: config.smtpSecure,
    requireTLS: config.smtpRequireTls && !config.smtpSecure,
    ...(smtpUser ? { auth: { user: smtpUser, pass: smtpPassword ?? '' } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  try {
    await transport.sendMail(mail);
    return { ok: true, externalId: mail.messageId.slice(1, -1) };
  } catch (error) {
    return classifySmtpError(error);
  } finally {
    transport.close();
  }
}

const SmtpFailure = z.object({
  message: z.string().optional(),
  code: z.string().optional(),
  responseCode: z.number().optional(),
  response: z.string().optional(),
});

/** Errors that say nothing about the message: the connection, DNS or TLS failed; another try may pass. */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

/**
 * RFC 5321: 4yz replies are transient (retry), 5yz permanent, except 503 "bad sequence of commands", which is
 * about the session, not the message (nodemailer's `isPermanentResponseCode` makes the same exception).
 * Without a reply code: connection failures retry; a refused envelope or missing credentials do not.
 */
export function classifySmtpError(error: unknown): DeliveryResult {
  const parsed = SmtpFailure.safeParse(error);
  const failure = parsed.success ? parsed.data : {};
  const { responseCode, code } = failure;
  const reason = (failure.response ?? failure.message ?? 'unknown SMTP error').trim();
  if (responseCode !== undefined && responseCode >= 400) {
    const retry = responseCode < 500 || responseCode === 503;
    return { ok: false, retry, error: `SMTP ${responseCode}: ${reason}` };
  }
  const retry = code === undefined || CONNECTION_CODES.has(code);
  return { ok: false, retry, error: `${code ?? 'SMTP'}: ${reason}` };
}

function configIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
}
