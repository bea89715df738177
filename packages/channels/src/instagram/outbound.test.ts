import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboundMessage } from '@signalbox/nodes';
import type { OutboundContext } from '../outbound.ts';
import { FakePlatform } from '../testing/fake-platform.ts';
import { instagramSetup } from './config.ts';
import { instagramOutbound } from './outbound.ts';

const ACCOUNT = '17841400000000000';
const IGSID = '6234567890123456';
const TOKEN = 'EAAG-ig-token';
const now = new Date('2026-11-24T12:00:00Z');

const fake = new FakePlatform();
beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.otherwise(() => ({ status: 200, body: { recipient_id: IGSID, message_id: `aWdfZAG1_${fake.requests.length}` } }));
});

function context(overrides: Partial<OutboundContext> = {}, config: Record<string, unknown> = {}): OutboundContext {
  return {
    config: { apiBaseUrl: `${fake.url}/v21.0`, instagramAccountId: ACCOUNT, ...config },
    secrets: { pageAccessToken: TOKEN },
    to: IGSID,
    thread: IGSID,
    threadTitle: null,
    inReplyTo: null,
    idempotencyKey: 'outbox-9',
    lastInboundAt: new Date(now.getTime() - 60_000),
    now,
    ...overrides,
  };
}

function render(message: unknown, ctx: OutboundContext = context()) {
  return instagramOutbound.render(OutboundMessage.parse(message), ctx);
}

function rendered(message: unknown, ctx: OutboundContext = context()) {
  const result = render(message, ctx);
  if (!result.ok) throw new Error(result.error);
  return result;
}

describe('instagram render and send', () => {
  it('posts a text to /me/messages with the token and reads the message_id', async () => {
    const ctx = context();
    const { calls } = rendered({ type: 'text', text: 'Hi! How can we help?' }, ctx);
    const result = await instagramOutbound.send(calls, ctx);
    expect(result).toEqual({ ok: true, externalId: 'aWdfZAG1_1' });
    const [sent] = fake.requests;
    expect(sent?.path).toBe('/v21.0/me/messages');
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent?.json).toEqual({ recipient: { id: IGSID }, messaging_type: 'RESPONSE', message: { text: 'Hi! How can we help?' } });
  });

  it('splits text by UTF-8 bytes: 1000 per message', () => {
    const text = 'ü'.repeat(700);
    const { calls, degraded } = rendered({ type: 'text', text });
    const texts = calls.map((c) => (c.body as { message: { text: string } }).message.text);
    expect(texts.map((t) => Buffer.byteLength(t))).toEqual([1000, 400]);
    expect(texts.join('')).toBe(text);
    expect(degraded).toEqual(['text split into 2 messages: Instagram carries 1000 bytes per message']);
  });

  it('sends up to 3 buttons as a button template and more as quick replies', () => {
    const three = rendered({ type: 'text', text: 'How can we help?', buttons: [{ id: 'ORDER', title: 'My order' }, { id: 'AGENT', title: 'A person' }] });
    expect(three.calls[0]?.body).toMatchObject({
      message: { attachment: { type: 'template', payload: { template_type: 'button', text: 'How can we help?', buttons: [{ type: 'postback', title: 'My order', payload: 'ORDER' }, { type: 'postback', title: 'A person', payload: 'AGENT' }] } } },
    });
    const four = rendered({ type: 'text', text: 'Size?', buttons: ['XS', 'S', 'M', 'L'].map((s) => ({ id: s, title: s })) });
    expect(four.calls[0]?.body).toMatchObject({ message: { text: 'Size?', quick_replies: [{ title: 'XS' }, { title: 'S' }, { title: 'M' }, { title: 'L' }] } });
    expect(four.degraded).toEqual(['4 buttons sent as quick replies: a button template holds 3']);
  });

  it('sends media by URL without is_reusable, then the caption', async () => {
    const ctx = context();
    const { calls } = rendered({ type: 'media', attachment: { type: 'video', url: 'https://shop.example/how-to.mp4' }, caption: 'How to wear it' }, ctx);
    const result = await instagramOutbound.send(calls, ctx);
    expect(fake.requests.map((r) => (r.json as { message: unknown }).message)).toEqual([
      { attachment: { type: 'video', payload: { url: 'https://shop.example/how-to.mp4' } } },
      { text: 'How to wear it' },
    ]);
    expect(result).toEqual({ ok: true, externalId: 'aWdfZAG1_2' });
  });

  it('sends a list as quick replies and a template as its fallback text', () => {
    const list = rendered({ type: 'list', text: 'Choose a colour', buttonTitle: 'Colours', sections: [{ title: '', rows: [{ id: 'RED', title: 'Red' }, { id: 'BLUE', title: 'Blue' }] }] });
    expect(list.calls[0]?.body).toMatchObject({ message: { text: 'Choose a colour', quick_replies: [{ payload: 'RED' }, { payload: 'BLUE' }] } });
    const template = rendered({ type: 'template', name: 'restock', language: 'en', fallbackText: 'It is back in stock!' });
    expect(template.calls[0]?.body).toMatchObject({ message: { text: 'It is back in stock!' } });
    expect(template.degraded[0]).toMatch(/Instagram has no message templates/);
  });

  it('refuses to send outside the 24-hour window unless the HUMAN_AGENT tag is enabled', () => {
    const late = context({ lastInboundAt: new Date(now.getTime() - 30 * 3_600_000) });
    const refused = render({ type: 'text', text: 'Hello again' }, late);
    expect(refused.ok === false && refused.error).toMatch(/^outside Instagram's messaging window/);
    const tagged = rendered({ type: 'text', text: 'Hello again' }, { ...late, config: { ...late.config, humanAgentTag: true } });
    expect(tagged.calls[0]?.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('retries Instagram business-use-case throttling (80002) and fails for good on 551', async () => {
    fake.reply(
      { status: 400, body: { error: { message: 'Application request limit reached', code: 80002, fbtrace_id: 'T1' } } },
      { status: 400, body: { error: { message: "This person isn't available right now.", code: 551 } } },
    );
    const ctx = context();
    const { calls } = rendered({ type: 'text', text: 'hi' }, ctx);
    expect(await instagramOutbound.send(calls, ctx)).toEqual({ ok: false, retry: true, retryAfterMs: 60_000, error: '80002: Application request limit reached (fbtrace_id T1)' });
    expect(await instagramOutbound.send(calls, ctx)).toEqual({ ok: false, retry: false, error: "551: This person isn't available right now." });
  });

  it('retries a 429 after its Retry-After and a 502', async () => {
    fake.reply({ status: 429, headers: { 'retry-after': '2' } }, { status: 502, body: 'bad gateway' });
    const ctx = context();
    const { calls } = rendered({ type: 'text', text: 'hi' }, ctx);
    expect(await instagramOutbound.send(calls, ctx)).toMatchObject({ ok: false, retry: true, retryAfterMs: 2000 });
    expect(await instagramOutbound.send(calls, ctx)).toMatchObject({ ok: false, retry: true });
  });
});

describe('instagram setup', () => {
  it('needs the account id, defaults the base URL, and paces at 100 messages a second', () => {
    expect(instagramSetup.config.parse({ instagramAccountId: ACCOUNT })).toMatchObject({ apiBaseUrl: 'https://graph.facebook.com/v21.0', humanAgentTag: false });
    expect(instagramSetup.config.safeParse({}).success).toBe(false);
    expect(instagramOutbound.limits).toEqual({ perAccount: { messages: 100, perMs: 1000 } });
  });
});
