import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboundMessage } from '@signalbox/nodes';
import type { OutboundContext, PlatformCall } from '../outbound.ts';
import { FakePlatform } from '../testing/fake-platform.ts';
import { TwilioConfig } from './config.ts';
import { twilioOutbound } from './outbound.ts';

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const SERVICE = 'MG0123456789abcdef0123456789abcdef';
const TEMPLATE = 'HX0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'token-123';
const now = new Date('2026-11-24T12:00:00Z');

let fake: FakePlatform;
beforeAll(async () => {
  fake = await new FakePlatform().start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.requests.length = 0;
});

function context(overrides: Partial<OutboundContext> & { config?: Record<string, unknown> } = {}): OutboundContext {
  return {
    config: { apiBaseUrl: fake.url, accountSid: ACCOUNT, from: '+15550001111', ...overrides.config },
    secrets: overrides.secrets ?? { authToken: AUTH_TOKEN },
    to: overrides.to ?? '+15559990000',
    thread: overrides.thread ?? overrides.to ?? '+15559990000',
    threadTitle: null,
    inReplyTo: null,
    idempotencyKey: 'outbox-1',
    lastInboundAt: overrides.lastInboundAt ?? null,
    now,
  };
}

function render(message: unknown, ctx: OutboundContext = context()) {
  const rendered = twilioOutbound.render(OutboundMessage.parse(message), ctx);
  if (!rendered.ok) throw new Error(rendered.error);
  return rendered;
}

function form(call: PlatformCall | undefined): URLSearchParams {
  if (typeof call?.body !== 'string') throw new Error('expected a form body');
  return new URLSearchParams(call.body);
}

const created = (sid: string) => ({ status: 201, body: { sid, status: 'queued', account_sid: ACCOUNT } });

describe('Twilio render + send against the Messages API', () => {
  it('a text: POST Messages.json, form body, Basic auth Account SID : auth token; externalId = sid', async () => {
    fake.reply(created('SM0001'));
    const ctx = context();
    const rendered = render({ type: 'text', text: 'Hello' }, ctx);
    expect(rendered.degraded).toEqual([]);
    expect(await twilioOutbound.send(rendered.calls, ctx)).toEqual({ ok: true, externalId: 'SM0001' });
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({ To: '+15559990000', From: '+15550001111', Body: 'Hello' });
  });

  it('buttons become numbered options (SMS has none)', () => {
    const rendered = render({ type: 'text', text: 'Track your order?', buttons: [{ id: 'y', title: 'Yes' }, { id: 'n', title: 'No' }] });
    expect(form(rendered.calls[0]).get('Body')).toBe('Track your order?\n\n1. Yes\n2. No');
    expect(rendered.degraded).toEqual(['2 buttons sent as numbered options']);
  });

  it('a list becomes numbered rows', () => {
    const rendered = render({
      type: 'list',
      text: 'Choose',
      buttonTitle: 'Menu',
      sections: [{ title: 'All', rows: [{ id: 'a', title: 'Returns' }, { id: 'b', title: 'Shipping', description: '2-5 days' }] }],
    });
    expect(form(rendered.calls[0]).get('Body')).toBe('Choose\n\n1. Returns\n2. Shipping - 2-5 days');
    expect(rendered.degraded).toEqual(['list "Menu" sent as 2 numbered options']);
  });

  it('media goes by MediaUrl with the caption as Body (MMS)', async () => {
    fake.reply(created('MM0001'));
    const ctx = context();
    const rendered = render({ type: 'media', attachment: { type: 'image', url: 'https://cdn.example.com/shoe.jpg' }, caption: 'Your shoe', buttons: [{ id: 'buy', title: 'Buy' }] }, ctx);
    expect(await twilioOutbound.send(rendered.calls, ctx)).toEqual({ ok: true, externalId: 'MM0001' });
    const sent = new URLSearchParams(fake.requests[0]?.body);
    expect(sent.getAll('MediaUrl')).toEqual(['https://cdn.example.com/shoe.jpg']);
    expect(sent.get('Body')).toBe('Your shoe\n\n1. Buy');
  });

  it('media without a caption sends no Body', () => {
    const rendered = render({ type: 'media', attachment: { type: 'file', url: 'https://cdn.example.com/invoice.pdf' } });
    expect(Object.fromEntries(form(rendered.calls[0]))).toEqual({ To: '+15559990000', From: '+15550001111', MediaUrl: 'https://cdn.example.com/invoice.pdf' });
  });

  it('a text over 1600 characters goes out as several messages; the last sid is the externalId', async () => {
    fake.reply(created('SM0001'), created('SM0002'));
    const ctx = context();
    const text = 'Lorem ipsum dolor sit amet. '.repeat(70);
    const rendered = render({ type: 'text', text }, ctx);
    expect(rendered.calls).toHaveLength(2);
    expect(rendered.calls.every((call) => (form(call).get('Body') ?? '').length <= 1600)).toBe(true);
    expect(rendered.degraded).toEqual(['text split into 2 messages (over 1600 characters / 10 segments)']);
    expect(await twilioOutbound.send(rendered.calls, ctx)).toEqual({ ok: true, externalId: 'SM0002' });
    expect(fake.requests).toHaveLength(2);
  });

  it('Unicode text is split by its segments: 10 UCS-2 segments are 670 characters', () => {
    const rendered = render({ type: 'text', text: '谢谢您的订单'.repeat(200) });
    expect(rendered.calls).toHaveLength(2);
    expect(form(rendered.calls[0]).get('Body')).toHaveLength(670);
  });

  it('a Messaging Service sends instead of a From number, with the status callback URL', () => {
    const ctx = context({ config: { from: undefined, messagingServiceSid: SERVICE, statusCallbackUrl: 'https://signalbox.example.com/hooks/ch_1' } });
    const rendered = render({ type: 'text', text: 'Hi' }, ctx);
    expect(Object.fromEntries(form(rendered.calls[0]))).toEqual({
      To: '+15559990000',
      MessagingServiceSid: SERVICE,
      StatusCallback: 'https://signalbox.example.com/hooks/ch_1',
      Body: 'Hi',
    });
  });

  it('an API key signs instead of the auth token when given', () => {
    const key = 'SK0123456789abcdef0123456789abcdef';
    const rendered = render({ type: 'text', text: 'Hi' }, context({ secrets: { authToken: AUTH_TOKEN, apiKeySid: key, apiKeySecret: 'shh' } }));
    expect(rendered.calls[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`${key}:shh`).toString('base64')}`);
  });

  it('a template on SMS is its fallback text', () => {
    const rendered = render({ type: 'template', name: 'order_shipped', language: 'en', parameters: ['42'], fallbackText: 'Order 42 shipped' });
    expect(form(rendered.calls[0]).get('Body')).toBe('Order 42 shipped');
    expect(rendered.degraded).toEqual(['template "order_shipped" sent as its fallback text']);
  });

  it('refuses to render without credentials or with a bad config', () => {
    expect(twilioOutbound.render(OutboundMessage.parse({ type: 'text', text: 'x' }), context({ secrets: {} }))).toMatchObject({ ok: false });
    const bad = twilioOutbound.render(OutboundMessage.parse({ type: 'text', text: 'x' }), context({ config: { accountSid: 'nope' } }));
    expect(bad).toMatchObject({ ok: false, error: expect.stringContaining('accountSid') });
  });
});

describe('WhatsApp through Twilio', () => {
  const to = 'whatsapp:+15559990000';

  it('From takes the whatsapp: prefix of the customer', () => {
    const rendered = render({ type: 'text', text: 'Hola' }, context({ to }));
    expect(Object.fromEntries(form(rendered.calls[0]))).toEqual({ To: to, From: 'whatsapp:+15550001111', Body: 'Hola' });
  });

  it('buttons are numbered options too, and no segment budget applies', () => {
    const rendered = render({ type: 'text', text: '谢谢'.repeat(700), buttons: [{ id: 'a', title: 'A' }] }, context({ to }));
    expect(rendered.calls).toHaveLength(1);
    expect(form(rendered.calls[0]).get('Body')?.endsWith('\n\n1. A')).toBe(true);
  });

  it('a template with a configured Content SID goes by ContentSid and ContentVariables, no Body', () => {
    const ctx = context({ to, config: { contentSids: { 'order_shipped:en': TEMPLATE } } });
    const rendered = render({ type: 'template', name: 'order_shipped', language: 'en', parameters: ['42', 'Ana'], fallbackText: 'Order 42 shipped' }, ctx);
    expect(Object.fromEntries(form(rendered.calls[0]))).toEqual({
      To: to,
      From: 'whatsapp:+15550001111',
      ContentSid: TEMPLATE,
      ContentVariables: JSON.stringify({ 1: '42', 2: 'Ana' }),
    });
    expect(rendered.degraded).toEqual([]);
  });

  it('outside the 24-hour window only a configured template may go', () => {
    const lastInboundAt = new Date(now.getTime() - 25 * 3600 * 1000);
    const text = twilioOutbound.render(OutboundMessage.parse({ type: 'text', text: 'Still there?' }), context({ to, lastInboundAt }));
    expect(text).toEqual({ ok: false, error: '63016: outside the WhatsApp 24-hour window; only a template may be sent' });
    const template = OutboundMessage.parse({ type: 'template', name: 'reminder', language: 'en', fallbackText: 'Reminder' });
    expect(twilioOutbound.render(template, context({ to, lastInboundAt }))).toMatchObject({ ok: false, error: expect.stringContaining('"reminder" has no Content SID') });
    expect(twilioOutbound.render(template, context({ to, lastInboundAt, config: { contentSids: { reminder: TEMPLATE } } }))).toMatchObject({ ok: true });
  });

  it('inside the window a template without a Content SID goes as text, noted', () => {
    const rendered = render({ type: 'template', name: 'reminder', language: 'en', fallbackText: 'Reminder' }, context({ to, lastInboundAt: new Date(now.getTime() - 3600 * 1000) }));
    expect(form(rendered.calls[0]).get('Body')).toBe('Reminder');
    expect(rendered.degraded).toContain('no Content SID configured for it: WhatsApp refuses it outside the 24-hour window');
  });
});

describe('Twilio errors', () => {
  const one = () => render({ type: 'text', text: 'Hi' }).calls;
  const error = (status: number, code: number, message: string, headers?: Record<string, string>) => ({
    status,
    headers,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  });

  it('429 / 20429 is retried after Retry-After', async () => {
    fake.reply(error(429, 20429, 'Too Many Requests', { 'retry-after': '3' }));
    expect(await twilioOutbound.send(one(), context())).toEqual({ ok: false, retry: true, retryAfterMs: 3000, error: '20429: Too Many Requests' });
  });

  it('5xx is retried', async () => {
    fake.reply({ status: 503, body: 'Service Unavailable' });
    expect(await twilioOutbound.send(one(), context())).toMatchObject({ ok: false, retry: true, error: 'HTTP 503: Service Unavailable' });
  });

  it('a network failure is retried', async () => {
    const ctx = context({ config: { apiBaseUrl: 'http://127.0.0.1:9' } });
    const calls = render({ type: 'text', text: 'Hi' }, ctx).calls;
    expect(await twilioOutbound.send(calls, ctx)).toMatchObject({ ok: false, retry: true });
  });

  it.each([
    [21211, "The 'To' number +1555 is not a valid phone number."],
    [21610, 'Attempt to send to unsubscribed recipient'],
    [21408, 'Permission to send an SMS has not been enabled for the region indicated by the To number'],
    [21614, "'To' number is not a valid mobile number"],
    [63016, 'Failed to send freeform message because you are outside the allowed window.'],
  ])('%i is permanent, with its code and reason', async (code, message) => {
    fake.reply(error(400, code, message));
    const result = await twilioOutbound.send(one(), context());
    expect(result).toMatchObject({ ok: false, retry: false });
    if (result.ok) return;
    expect(result.error.startsWith(`${code}: ${message}`)).toBe(true);
  });

  it('21610 explains STOP', async () => {
    fake.reply(error(400, 21610, 'Attempt to send to unsubscribed recipient'));
    expect(await twilioOutbound.send(one(), context())).toEqual({
      ok: false,
      retry: false,
      error: '21610: Attempt to send to unsubscribed recipient (the recipient replied STOP; they must reply START before they can be messaged again)',
    });
  });

  it('20003 (authentication) is permanent', async () => {
    fake.reply(error(401, 20003, 'Authenticate'));
    expect(await twilioOutbound.send(one(), context())).toMatchObject({ ok: false, retry: false, error: expect.stringMatching(/^20003: Authenticate/) });
  });

  it("21611 (the sender's queue is full) is retried later", async () => {
    fake.reply(error(400, 21611, "This 'From' number has exceeded the maximum number of queued messages"));
    expect(await twilioOutbound.send(one(), context())).toMatchObject({ ok: false, retry: true, retryAfterMs: 60_000 });
  });

  it('a failing part stops the message: later parts are not sent', async () => {
    fake.reply(created('SM1'), error(400, 21610, 'Attempt to send to unsubscribed recipient'));
    const calls = render({ type: 'text', text: 'word '.repeat(1000) }).calls;
    expect(calls.length).toBeGreaterThan(2);
    expect(await twilioOutbound.send(calls, context())).toMatchObject({ ok: false, retry: false });
    expect(fake.requests).toHaveLength(2);
  });

  it('declares one message per second per account by default (the sender applies messagesPerSecond)', () => {
    expect(twilioOutbound.limits).toEqual({ perAccount: { messages: 1, perMs: 1000 } });
  });
});

describe('Twilio settings', () => {
  it('needs a From number or a Messaging Service, and fills the defaults', () => {
    const missing = TwilioConfig.safeParse({ accountSid: ACCOUNT });
    expect(missing.success ? [] : missing.error.issues.map((i) => i.path.join('.'))).toEqual(['from']);
    expect(TwilioConfig.parse({ accountSid: ACCOUNT, from: '+15550001111' })).toEqual({
      apiBaseUrl: 'https://api.twilio.com',
      accountSid: ACCOUNT,
      from: '+15550001111',
      contentSids: {},
      messagesPerSecond: 1,
      maxSegments: 10,
    });
  });
});
