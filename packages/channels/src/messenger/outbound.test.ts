import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboundMessage } from '@signalbox/nodes';
import { splitText } from '../meta/messaging-render.ts';
import type { OutboundContext, PlatformCall } from '../outbound.ts';
import { FakePlatform } from '../testing/fake-platform.ts';
import { messengerSetup } from './config.ts';
import { messengerOutbound } from './outbound.ts';

const PAGE = '117172741761305';
const PSID = '3383290475046708';
const TOKEN = 'EAAG-page-token';
const now = new Date('2026-11-24T12:00:00Z');
const HOUR = 3_600_000;

const fake = new FakePlatform();
beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.otherwise(() => ({ status: 200, body: { recipient_id: PSID, message_id: `m_sent_${fake.requests.length}` } }));
});

function context(overrides: Partial<OutboundContext> = {}, config: Record<string, unknown> = {}): OutboundContext {
  return {
    config: { apiBaseUrl: `${fake.url}/v21.0`, pageId: PAGE, ...config },
    secrets: { pageAccessToken: TOKEN, appSecret: 's', verifyToken: 'v' },
    to: PSID,
    thread: PSID,
    threadTitle: null,
    inReplyTo: null,
    idempotencyKey: 'outbox-1',
    lastInboundAt: new Date(now.getTime() - 5 * 60_000),
    now,
    ...overrides,
  };
}

function render(message: unknown, ctx: OutboundContext = context()) {
  return messengerOutbound.render(OutboundMessage.parse(message), ctx);
}

function rendered(message: unknown, ctx: OutboundContext = context()): { calls: PlatformCall[]; degraded: string[] } {
  const result = render(message, ctx);
  if (!result.ok) throw new Error(result.error);
  return result;
}

/** Renders and sends through the fake Graph API; returns the sender's result. */
async function deliver(message: unknown, ctx: OutboundContext = context()) {
  const { calls, degraded } = rendered(message, ctx);
  return { result: await messengerOutbound.send(calls, ctx), degraded };
}

function sentMessages(): unknown[] {
  return fake.requests.map((r) => (r.json as { message: unknown }).message);
}

describe('messenger render and send', () => {
  it('posts a text to /{pageId}/messages with the Page token and reads the message_id', async () => {
    const { result, degraded } = await deliver({ type: 'text', text: 'Your order ships today.' });
    expect(result).toEqual({ ok: true, externalId: 'm_sent_1' });
    expect(degraded).toEqual([]);
    const [sent] = fake.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe(`/v21.0/${PAGE}/messages`);
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.json).toEqual({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'Your order ships today.' } });
  });

  it('sends up to 3 buttons as a button template of postback buttons', async () => {
    const { degraded } = await deliver({ type: 'text', text: 'Track or return?', buttons: [{ id: 'TRACK', title: 'Track' }, { id: 'RETURN', title: 'Return' }] });
    expect(degraded).toEqual([]);
    expect(sentMessages()).toEqual([
      {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            text: 'Track or return?',
            buttons: [
              { type: 'postback', title: 'Track', payload: 'TRACK' },
              { type: 'postback', title: 'Return', payload: 'RETURN' },
            ],
          },
        },
      },
    ]);
  });

  it('sends quick replies when the flow asks for them', async () => {
    await deliver({ type: 'text', text: 'Pick a size', buttons: [{ id: 'S', title: 'Small' }, { id: 'L', title: 'Large' }], quickReplies: true });
    expect(sentMessages()).toEqual([
      {
        text: 'Pick a size',
        quick_replies: [
          { content_type: 'text', title: 'Small', payload: 'S' },
          { content_type: 'text', title: 'Large', payload: 'L' },
        ],
      },
    ]);
  });

  it('turns more than 3 buttons into quick replies and says so', () => {
    const buttons = ['A', 'B', 'C', 'D', 'E'].map((id) => ({ id, title: `Option ${id}` }));
    const { calls, degraded } = rendered({ type: 'text', text: 'Choose', buttons });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toMatchObject({ message: { text: 'Choose', quick_replies: buttons.map((b) => ({ content_type: 'text', title: b.title, payload: b.id })) } });
    expect(degraded).toEqual(['5 buttons sent as quick replies: a button template holds 3']);
  });

  it('turns more than 13 choices into numbered text', () => {
    const buttons = Array.from({ length: 15 }, (_, i) => ({ id: `c${i + 1}`, title: `Choice ${i + 1}` }));
    const { calls, degraded } = rendered({ type: 'text', text: 'Which store?', buttons, quickReplies: true });
    const message = (calls[0]?.body as { message: { text: string; quick_replies?: unknown } }).message;
    expect(message.quick_replies).toBeUndefined();
    expect(message.text.startsWith('Which store?\n\n1. Choice 1\n2. Choice 2\n')).toBe(true);
    expect(message.text.endsWith('15. Choice 15')).toBe(true);
    expect(degraded).toEqual(['15 choices sent as numbered text: Messenger shows at most 13 quick replies']);
  });

  it('cuts choice titles to 20 characters', () => {
    const { calls, degraded } = rendered({ type: 'text', text: 'Go on?', buttons: [{ id: 'YES', title: 'Yes, please continue with the order' }] });
    const body = calls[0]?.body as { message: { attachment: { payload: { buttons: { title: string }[] } } } };
    const title = body.message.attachment.payload.buttons[0]?.title ?? '';
    expect(Array.from(title)).toHaveLength(20);
    expect(title.endsWith('…')).toBe(true);
    expect(degraded).toContain('choice titles cut to 20 characters');
  });

  it('sends buttons under a text longer than 640 characters as quick replies', () => {
    const { calls, degraded } = rendered({ type: 'text', text: 'x'.repeat(700), buttons: [{ id: 'OK', title: 'OK' }] });
    expect(calls[0]?.body).toMatchObject({ message: { text: 'x'.repeat(700), quick_replies: [{ title: 'OK', payload: 'OK' }] } });
    expect(degraded).toEqual(["buttons sent as quick replies: text longer than a button template's 640 characters"]);
  });

  it('splits a text over 2000 characters into messages that join back to it, quick replies on the last', () => {
    const words = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    const { calls, degraded } = rendered({ type: 'text', text: words, buttons: [{ id: 'MORE', title: 'More' }], quickReplies: true });
    const messages = calls.map((c) => (c.body as { message: { text: string; quick_replies?: unknown[] } }).message);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.every((m) => m.text.length <= 2000)).toBe(true);
    expect(messages.map((m) => m.text).join('')).toBe(words);
    expect(messages.slice(0, -1).every((m) => m.quick_replies === undefined)).toBe(true);
    expect(messages.at(-1)?.quick_replies).toHaveLength(1);
    expect(degraded).toContain(`text split into ${messages.length} messages: Messenger carries 2000 characters per message`);
  });

  it('sends media by URL, reusable, then the caption with its buttons as a button template', async () => {
    const { result } = await deliver({
      type: 'media',
      attachment: { type: 'image', url: 'https://shop.example/p/1.jpg' },
      caption: 'The blue one',
      buttons: [{ id: 'BUY', title: 'Buy' }],
    });
    expect(sentMessages()).toEqual([
      { attachment: { type: 'image', payload: { url: 'https://shop.example/p/1.jpg', is_reusable: true } } },
      { attachment: { type: 'template', payload: { template_type: 'button', text: 'The blue one', buttons: [{ type: 'postback', title: 'Buy', payload: 'BUY' }] } } },
    ]);
    expect(result).toEqual({ ok: true, externalId: 'm_sent_2' });
  });

  it('puts the buttons of uncaptioned media on the attachment as quick replies', () => {
    const { calls, degraded } = rendered({ type: 'media', attachment: { type: 'file', url: 'https://shop.example/invoice.pdf' }, buttons: [{ id: 'PAID', title: 'Paid' }] });
    expect(calls.map((c) => c.body)).toEqual([
      {
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: { attachment: { type: 'file', payload: { url: 'https://shop.example/invoice.pdf', is_reusable: true } }, quick_replies: [{ content_type: 'text', title: 'Paid', payload: 'PAID' }] },
      },
    ]);
    expect(degraded).toEqual(['media buttons sent as quick replies: no caption to carry a button template']);
  });

  it('sends a short list as quick replies and a long one as numbered text with sections', () => {
    const short = rendered({
      type: 'list',
      text: 'Pick a topic',
      buttonTitle: 'Topics',
      sections: [{ title: 'Orders', rows: [{ id: 'WHERE', title: 'Where is my order', description: 'Tracking' }, { id: 'CANCEL', title: 'Cancel' }] }],
    });
    expect(short.calls[0]?.body).toMatchObject({
      message: { text: 'Pick a topic', quick_replies: [{ title: 'Where is my order', payload: 'WHERE' }, { title: 'Cancel', payload: 'CANCEL' }] },
    });
    expect(short.degraded).toEqual(['list sent as quick replies', 'list row descriptions dropped']);

    const rows = Array.from({ length: 14 }, (_, i) => ({ id: `r${i + 1}`, title: `Store ${i + 1}` }));
    const long = rendered({ type: 'list', text: 'Stores', buttonTitle: 'See', sections: [{ title: 'North', rows: rows.slice(0, 7) }, { title: 'South', rows: rows.slice(7) }] });
    const text = (long.calls[0]?.body as { message: { text: string } }).message.text;
    expect(text).toBe(['Stores', '', 'North', ...rows.slice(0, 7).map((r, i) => `${i + 1}. ${r.title}`), 'South', ...rows.slice(7).map((r, i) => `${i + 8}. ${r.title}`)].join('\n'));
    expect(long.degraded).toEqual(['list of 14 rows sent as numbered text: at most 13 quick replies']);
  });

  it('sends a WhatsApp template as its fallback text', () => {
    const { calls, degraded } = rendered({ type: 'template', name: 'order_update', language: 'en', parameters: ['42'], fallbackText: 'Order 42 has shipped.' });
    expect(calls[0]?.body).toMatchObject({ message: { text: 'Order 42 has shipped.' } });
    expect(degraded).toEqual(['template "order_update" sent as its fallback text: Messenger has no message templates']);
  });

  it('refuses an empty text, a missing token and settings without a pageId', () => {
    expect(render({ type: 'text', text: '' })).toEqual({ ok: false, error: 'Messenger cannot send an empty text' });
    expect(render({ type: 'text', text: 'hi' }, context({ secrets: {} }))).toEqual({ ok: false, error: 'the Messenger channel has no pageAccessToken' });
    const noPage = render({ type: 'text', text: 'hi' }, { ...context(), config: { apiBaseUrl: fake.url } });
    expect(noPage.ok === false && noPage.error).toMatch(/\$\.pageId/);
  });

  it('keeps a split text whole: the pieces join back exactly', () => {
    const text = 'Grüße aus Köln 🍺 '.repeat(40);
    const pieces = splitText(text, 50, (p) => p.length);
    expect(pieces.join('')).toBe(text);
    expect(pieces.every((p) => p.length <= 50)).toBe(true);
  });
});

describe('messenger 24-hour messaging window', () => {
  it('refuses to send when the customer last wrote more than 24 hours ago', () => {
    const result = render({ type: 'text', text: 'Still there?' }, context({ lastInboundAt: new Date(now.getTime() - 25 * HOUR) }));
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.error).toMatch(/outside Messenger's messaging window: the customer last wrote 25 h ago.*24-hour standard messaging window/);
  });

  it('sends with the HUMAN_AGENT tag up to 7 days when the channel allows it', () => {
    const { calls, degraded } = rendered({ type: 'text', text: 'Sorry for the wait' }, context({ lastInboundAt: new Date(now.getTime() - 3 * 24 * HOUR) }, { humanAgentTag: true }));
    expect(calls[0]?.body).toEqual({ recipient: { id: PSID }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Sorry for the wait' } });
    expect(degraded).toEqual(['sent with the HUMAN_AGENT tag: outside the 24-hour window']);
    const late = render({ type: 'text', text: 'hello?' }, context({ lastInboundAt: new Date(now.getTime() - 8 * 24 * HOUR) }, { humanAgentTag: true }));
    expect(late.ok === false && late.error).toMatch(/HUMAN_AGENT tag's 7 days/);
  });

  it('tries the send when the last customer message time is unknown', () => {
    const { calls } = rendered({ type: 'text', text: 'Hi' }, context({ lastInboundAt: null }));
    expect(calls[0]?.body).toMatchObject({ messaging_type: 'RESPONSE' });
  });
});

describe('messenger send errors', () => {
  const text = { type: 'text', text: 'hello' };

  it('retries a 429 after its Retry-After', async () => {
    fake.reply({ status: 429, headers: { 'retry-after': '7' }, body: 'slow down' });
    const { result } = await deliver(text);
    expect(result).toMatchObject({ ok: false, retry: true, retryAfterMs: 7000 });
  });

  it('retries Graph throttling (613) after the time in X-Business-Use-Case-Usage', async () => {
    const usage = JSON.stringify({ [PAGE]: [{ type: 'messenger', call_count: 100, total_cputime: 20, total_time: 30, estimated_time_to_regain_access: 3 }] });
    fake.reply({ status: 400, headers: { 'x-business-use-case-usage': usage }, body: { error: { message: 'Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613, fbtrace_id: 'AbC' } } });
    const { result } = await deliver(text);
    expect(result).toEqual({ ok: false, retry: true, retryAfterMs: 180_000, error: '613: Calls to this api have exceeded the rate limit. (fbtrace_id AbC)' });
  });

  it('retries Messenger business-use-case throttling (80006) after a minute when Meta names no time', async () => {
    fake.reply({ status: 400, body: { error: { message: 'There have been too many messages sent to this user.', code: 80006 } } });
    expect((await deliver(text)).result).toMatchObject({ ok: false, retry: true, retryAfterMs: 60_000 });
  });

  it('retries a 5xx and the temporary send failure 1200', async () => {
    fake.reply({ status: 503, body: 'unavailable' });
    expect((await deliver(text)).result).toMatchObject({ ok: false, retry: true });
    fake.reply({ status: 500, body: { error: { message: 'Temporary send message failure. Please try again later.', type: 'OAuthException', code: 1200 } } });
    expect((await deliver(text)).result).toMatchObject({ ok: false, retry: true, error: '1200: Temporary send message failure. Please try again later.' });
  });

  it('fails for good when the person is unavailable (551)', async () => {
    fake.reply({ status: 400, body: { error: { message: "This person isn't available right now.", type: 'OAuthException', code: 551, error_subcode: 1545041, fbtrace_id: 'X1' } } });
    expect((await deliver(text)).result).toEqual({ ok: false, retry: false, error: "551/1545041: This person isn't available right now. (fbtrace_id X1)" });
  });

  it('fails for good outside the window (10/2018278), on a bad parameter (100) and a bad token (190)', async () => {
    fake.reply(
      { status: 400, body: { error: { message: 'This message is sent outside of allowed window.', code: 10, error_subcode: 2018278 } } },
      { status: 400, body: { error: { message: '(#100) Param recipient[id] must be a valid ID string', code: 100 } } },
      { status: 401, body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } } },
    );
    expect((await deliver(text)).result).toEqual({ ok: false, retry: false, error: '10/2018278: This message is sent outside of allowed window.' });
    expect((await deliver(text)).result).toMatchObject({ ok: false, retry: false, error: '100: (#100) Param recipient[id] must be a valid ID string' });
    expect((await deliver(text)).result).toMatchObject({ ok: false, retry: false, error: '190: Invalid OAuth access token.' });
  });

  it('fails the whole message when the caption after an image fails, so a retry starts from the image', async () => {
    fake.reply({ status: 200, body: { recipient_id: PSID, message_id: 'm_img' } }, { status: 500, body: { error: { message: 'An unexpected error has occurred.', code: 2 } } });
    const { result } = await deliver({ type: 'media', attachment: { type: 'video', url: 'https://shop.example/v.mp4' }, caption: 'How to fold it' });
    expect(fake.requests).toHaveLength(2);
    expect(result).toMatchObject({ ok: false, retry: true, error: '2: An unexpected error has occurred.' });
  });

  it('retries when the Graph API cannot be reached', async () => {
    const gone = await new FakePlatform().start();
    const url = gone.url;
    await gone.stop();
    const { calls } = rendered(text, context({}, { apiBaseUrl: url }));
    expect(await messengerOutbound.send(calls, context())).toMatchObject({ ok: false, retry: true });
  });
});

describe('messenger setup', () => {
  it('defaults the Graph API base URL and needs the three secrets', () => {
    expect(messengerSetup.config.parse({ pageId: PAGE })).toEqual({ apiBaseUrl: 'https://graph.facebook.com/v21.0', pageId: PAGE, humanAgentTag: false });
    const secrets = messengerSetup.secrets.safeParse({ appSecret: 'a' });
    expect(secrets.success).toBe(false);
    expect(secrets.error?.issues.map((i) => i.path.join('.'))).toEqual(['verifyToken', 'pageAccessToken']);
  });

  it('paces sends per Page under the Send API ceiling', () => {
    expect(messengerOutbound.limits).toEqual({ perAccount: { messages: 250, perMs: 1000 } });
  });
});
