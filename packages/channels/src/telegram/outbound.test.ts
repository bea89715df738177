import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '@signalbox/nodes';
import type { OutboundContext, PlatformCall, Rendered } from '../outbound.ts';
import { FakePlatform, type RecordedRequest } from '../testing/fake-platform.ts';
import { CALLBACK_DATA_MAX_BYTES, CAPTION_LIMIT, KEYBOARD_MAX_BUTTONS, splitText, TEXT_LIMIT } from './render.ts';
import { telegramOutbound } from './outbound.ts';

const TOKEN = '123456:TEST-token';
const CUSTOMER = 42;
let platform: FakePlatform;
let sentIds = 100;

/** Telegram's answer to a send: the Message it created. */
function sent(request: RecordedRequest) {
  const body = request.json as { chat_id: number };
  sentIds += 1;
  return { status: 200, body: { ok: true, result: { message_id: sentIds, date: 1700000000, chat: { id: body.chat_id, type: 'private' } } } };
}

beforeAll(async () => {
  platform = await new FakePlatform(sent).start();
});
afterAll(() => platform.stop());
beforeEach(() => {
  platform.requests.length = 0;
  platform.otherwise(sent);
});

function context(overrides: Partial<OutboundContext> = {}): OutboundContext {
  return {
    config: { apiBaseUrl: platform.url },
    secrets: { botToken: TOKEN, secretToken: 'secret' },
    to: String(CUSTOMER),
    thread: String(CUSTOMER),
    threadTitle: null,
    inReplyTo: `${CUSTOMER}:7`,
    idempotencyKey: 'outbox-1',
    lastInboundAt: null,
    now: new Date('2026-11-24T00:00:00Z'),
    ...overrides,
  };
}

function rendered(message: OutboundMessage, ctx: OutboundContext = context()): Extract<Rendered, { ok: true }> {
  const result = telegramOutbound.render(message, ctx);
  if (!result.ok) throw new Error(result.error);
  return result;
}

function bodies(calls: PlatformCall[]): Record<string, unknown>[] {
  return calls.map((call) => call.body as Record<string, unknown>);
}

async function renderAndSend(message: OutboundMessage, ctx: OutboundContext = context()) {
  const { calls, degraded } = rendered(message, ctx);
  const result = await telegramOutbound.send(calls, ctx);
  return { result, degraded, requests: platform.requests };
}

const text = (value: string, buttons: { id: string; title: string }[] = [], quickReplies = false): OutboundMessage => ({ type: 'text', text: value, buttons, quickReplies });

describe('telegram text', () => {
  it('sends text with inline buttons as a reply, and names the sent message <chat>:<message_id>', async () => {
    const { result, degraded, requests } = await renderAndSend(text('Which order?', [{ id: 'order-1042', title: 'Order #1042' }, { id: 'other', title: 'Another one' }]));
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/bot${TOKEN}/sendMessage`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.json).toEqual({
      chat_id: CUSTOMER,
      text: 'Which order?',
      reply_parameters: { message_id: 7, allow_sending_without_reply: true },
      reply_markup: { inline_keyboard: [[{ text: 'Order #1042', callback_data: 'order-1042' }], [{ text: 'Another one', callback_data: 'other' }]] },
    });
    expect(result).toEqual({ ok: true, externalId: `${CUSTOMER}:${sentIds}` });
    expect(degraded).toEqual([]);
  });

  it('plain text without a message to answer has neither reply_parameters nor reply_markup', async () => {
    const { requests } = await renderAndSend(text('Hello'), context({ inReplyTo: null }));
    expect(requests[0]!.json).toEqual({ chat_id: CUSTOMER, text: 'Hello' });
  });

  it('a button press (callback:<id>) is not a message to quote', () => {
    const [body] = bodies(rendered(text('Noted'), context({ inReplyTo: 'callback:abc' })).calls);
    expect(body).not.toHaveProperty('reply_parameters');
  });

  it('quick replies become a one-time reply keyboard, selective when replying', () => {
    const { calls, degraded } = rendered(text('Was this helpful?', [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }], true));
    expect(bodies(calls)[0]!.reply_markup).toEqual({ keyboard: [[{ text: 'Yes' }], [{ text: 'No' }]], one_time_keyboard: true, resize_keyboard: true, selective: true });
    expect(degraded).toEqual([expect.stringContaining('reply keyboard')]);
    const standalone = rendered(text('Was this helpful?', [{ id: 'yes', title: 'Yes' }], true), context({ inReplyTo: null }));
    expect(bodies(standalone.calls)[0]!.reply_markup).toEqual({ keyboard: [[{ text: 'Yes' }]], one_time_keyboard: true, resize_keyboard: true });
  });

  it('a long text with quick replies quotes the customer on the part with the keyboard too (selective needs the reply)', () => {
    const long = `${'a'.repeat(TEXT_LIMIT)} end`;
    const sentBodies = bodies(rendered(text(long, [{ id: 'yes', title: 'Yes' }], true)).calls);
    expect(sentBodies.map((b) => 'reply_parameters' in b)).toEqual([true, true]);
    expect(sentBodies[1]!.reply_markup).toMatchObject({ selective: true });
  });

  it('writes to the group, not to the member, in a group conversation', () => {
    const [body] = bodies(rendered(text('On it'), context({ to: '42', thread: '-1001234567890', inReplyTo: '-1001234567890:55' })).calls);
    expect(body).toMatchObject({ chat_id: -1001234567890, reply_parameters: { message_id: 55 } });
  });

  it('splits text longer than 4096 characters at paragraphs: quote on the first, buttons on the last', async () => {
    // Ten paragraphs of 998 characters: four fit in a message.
    const paragraph = (n: number) => `${String(n).padStart(2, '0')} ${'lorem ipsum '.repeat(83).trim()}`;
    const long = Array.from({ length: 10 }, (_, i) => paragraph(i)).join('\n\n');
    expect(long.length).toBeGreaterThan(2 * TEXT_LIMIT);
    const { result, degraded, requests } = await renderAndSend(text(long, [{ id: 'ok', title: 'OK' }]));
    expect(requests.length).toBe(3);
    const sentBodies = requests.map((r) => r.json as Record<string, unknown>);
    for (const body of sentBodies) expect(String(body.text).length).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(sentBodies.map((b) => String(b.text)).join('\n\n')).toBe(long);
    expect(sentBodies.map((b) => 'reply_parameters' in b)).toEqual([true, false, false]);
    expect(sentBodies.map((b) => 'reply_markup' in b)).toEqual([false, false, true]);
    expect(degraded).toEqual([expect.stringContaining('split into 3 messages')]);
    expect(result).toEqual({ ok: true, externalId: `${CUSTOMER}:${sentIds}` });
  });

  it('refuses an empty message', () => {
    expect(telegramOutbound.render(text(''), context())).toEqual({ ok: false, error: expect.stringContaining('empty') });
  });

  it('refuses to render without a bot token or with a bad API URL', () => {
    expect(telegramOutbound.render(text('hi'), context({ secrets: {} }))).toEqual({ ok: false, error: expect.stringContaining('botToken') });
    expect(telegramOutbound.render(text('hi'), context({ config: { apiBaseUrl: 'not a url' } }))).toEqual({ ok: false, error: expect.stringContaining('apiBaseUrl') });
  });

  it('uses https://api.telegram.org when no base URL is set', () => {
    expect(rendered(text('hi'), context({ config: {} })).calls[0]!.url).toBe(`https://api.telegram.org/bot${TOKEN}/sendMessage`);
  });
});

describe('telegram text splitting', () => {
  it('breaks at a line, then a space, else hard, never inside a surrogate pair', () => {
    expect(splitText('aaaaaaa\nbb cc', 10)).toEqual(['aaaaaaa', 'bb cc']);
    expect(splitText('aaa\n\nbbb\ncc dd', 10)).toEqual(['aaa\n\nbbb', 'cc dd']);
    expect(splitText('aaaaaa bbbbbb', 10)).toEqual(['aaaaaa', 'bbbbbb']);
    expect(splitText('abcdefghijklmno', 10)).toEqual(['abcdefghij', 'klmno']);
    const emoji = '😀'.repeat(8); // 16 UTF-16 units
    const pieces = splitText(`a${emoji}`, 10);
    expect(pieces.join('')).toBe(`a${emoji}`);
    for (const piece of pieces) expect(piece).not.toMatch(/[\ud800-\udbff]$/);
  });
});

describe('telegram buttons', () => {
  it(`replaces a callback_data over ${CALLBACK_DATA_MAX_BYTES} bytes by the title, or by the position when the title is too long too`, () => {
    const longId = 'x'.repeat(CALLBACK_DATA_MAX_BYTES + 1);
    const longTitle = 'ñ'.repeat(40); // 80 bytes
    const { calls, degraded } = rendered(text('Pick', [{ id: 'short', title: 'Short' }, { id: longId, title: 'Fits' }, { id: `${longId}2`, title: longTitle }]));
    expect(bodies(calls)[0]!.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Short', callback_data: 'short' }], [{ text: 'Fits', callback_data: 'Fits' }], [{ text: longTitle, callback_data: '3' }]],
    });
    expect(degraded).toHaveLength(2);
    expect(degraded[0]).toContain('64-byte callback_data');
  });

  it(`keeps at most ${KEYBOARD_MAX_BUTTONS} buttons`, () => {
    const buttons = Array.from({ length: KEYBOARD_MAX_BUTTONS + 5 }, (_, i) => ({ id: `b${i}`, title: `Button ${i}` }));
    const { calls, degraded } = rendered(text('Many', buttons));
    const markup = bodies(calls)[0]!.reply_markup as { inline_keyboard: unknown[][] };
    expect(markup.inline_keyboard).toHaveLength(KEYBOARD_MAX_BUTTONS);
    expect(degraded).toEqual([expect.stringContaining('5 buttons dropped')]);
  });
});

describe('telegram media', () => {
  const media = (type: 'image' | 'audio' | 'video' | 'file', url: string, extra: { caption?: string; mimeType?: string; buttons?: { id: string; title: string }[] } = {}): OutboundMessage => ({
    type: 'media',
    attachment: { type, url, mimeType: extra.mimeType },
    caption: extra.caption,
    buttons: extra.buttons ?? [],
  });

  it('sends a photo by URL with its caption and buttons', async () => {
    const { result, requests, degraded } = await renderAndSend(media('image', 'https://shop.example/p.jpg', { caption: 'Your parcel', buttons: [{ id: 'thanks', title: 'Thanks' }] }));
    expect(requests[0]!.path).toBe(`/bot${TOKEN}/sendPhoto`);
    expect(requests[0]!.json).toEqual({
      chat_id: CUSTOMER,
      photo: 'https://shop.example/p.jpg',
      caption: 'Your parcel',
      reply_parameters: { message_id: 7, allow_sending_without_reply: true },
      reply_markup: { inline_keyboard: [[{ text: 'Thanks', callback_data: 'thanks' }]] },
    });
    expect(result).toEqual({ ok: true, externalId: `${CUSTOMER}:${sentIds}` });
    expect(degraded).toEqual([]);
  });

  it.each([
    ['audio', 'https://x.example/a.mp3', 'audio/mpeg', 'sendAudio', 'audio'],
    ['audio', 'https://x.example/v.ogg', 'audio/ogg', 'sendVoice', 'voice'],
    ['video', 'https://x.example/v.mp4', undefined, 'sendVideo', 'video'],
    ['file', 'https://x.example/invoice.pdf', undefined, 'sendDocument', 'document'],
  ] as const)('%s %s -> %s', async (type, url, mimeType, method, field) => {
    const { requests, degraded } = await renderAndSend(media(type, url, { mimeType }), context({ inReplyTo: null }));
    expect(requests[0]!.path).toBe(`/bot${TOKEN}/${method}`);
    expect(requests[0]!.json).toEqual({ chat_id: CUSTOMER, [field]: url });
    expect(degraded).toEqual([]);
  });

  it('warns that Telegram fetches only PDF, ZIP and GIF documents by URL', () => {
    const { calls, degraded } = rendered(media('file', 'https://x.example/terms.docx'));
    expect(bodies(calls)[0]).toMatchObject({ document: 'https://x.example/terms.docx' });
    expect(degraded).toEqual([expect.stringContaining('PDF, ZIP and GIF')]);
  });

  it(`sends a caption over ${CAPTION_LIMIT} characters as a message after the media, with the buttons`, async () => {
    const caption = 'c'.repeat(CAPTION_LIMIT + 1);
    const { requests, degraded } = await renderAndSend(media('video', 'https://x.example/v.mp4', { caption, buttons: [{ id: 'more', title: 'More' }] }));
    expect(requests.map((r) => r.path)).toEqual([`/bot${TOKEN}/sendVideo`, `/bot${TOKEN}/sendMessage`]);
    expect(requests[0]!.json).toEqual({ chat_id: CUSTOMER, video: 'https://x.example/v.mp4', reply_parameters: { message_id: 7, allow_sending_without_reply: true } });
    expect(requests[1]!.json).toEqual({ chat_id: CUSTOMER, text: caption, reply_markup: { inline_keyboard: [[{ text: 'More', callback_data: 'more' }]] } });
    expect(degraded).toEqual([expect.stringContaining('separate message')]);
  });
});

describe('telegram lists and templates', () => {
  it('a list is text with its sections and one inline button per row', async () => {
    const list: OutboundMessage = {
      type: 'list',
      text: 'What do you need?',
      buttonTitle: 'Options',
      sections: [
        { title: 'Orders', rows: [{ id: 'track', title: 'Track', description: 'Where is my parcel' }, { id: 'cancel', title: 'Cancel' }] },
        { title: 'Account', rows: [{ id: 'address', title: 'Change address' }] },
      ],
    };
    const { requests, degraded } = await renderAndSend(list, context({ inReplyTo: null }));
    expect(requests[0]!.json).toEqual({
      chat_id: CUSTOMER,
      text: 'What do you need?\n\nOrders\n• Track: Where is my parcel\n• Cancel\n\nAccount\n• Change address',
      reply_markup: { inline_keyboard: [[{ text: 'Track', callback_data: 'track' }], [{ text: 'Cancel', callback_data: 'cancel' }], [{ text: 'Change address', callback_data: 'address' }]] },
    });
    expect(degraded).toEqual([expect.stringContaining('"Options" opener is dropped')]);
  });

  it('a template is sent as its fallback text', async () => {
    const template: OutboundMessage = { type: 'template', name: 'order_update', language: 'en', parameters: ['1042'], fallbackText: 'Order 1042 has shipped.' };
    const { requests, degraded } = await renderAndSend(template, context({ inReplyTo: null }));
    expect(requests[0]!.json).toEqual({ chat_id: CUSTOMER, text: 'Order 1042 has shipped.' });
    expect(degraded).toEqual([expect.stringContaining('fallback text')]);
  });
});

describe('telegram answers', () => {
  const failure = (code: number, description: string, parameters?: object) => ({ status: code, body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) } });

  it('429: retried after parameters.retry_after seconds', async () => {
    platform.reply(failure(429, 'Too Many Requests: retry after 7', { retry_after: 7 }));
    const { result } = await renderAndSend(text('hi'));
    expect(result).toEqual({ ok: false, retry: true, retryAfterMs: 7000, error: '429: Too Many Requests: retry after 7' });
  });

  it('429 without parameters falls back to the Retry-After header', async () => {
    platform.reply({ status: 429, headers: { 'retry-after': '3' }, body: { ok: false, error_code: 429, description: 'Too Many Requests' } });
    const { result } = await renderAndSend(text('hi'));
    expect(result).toMatchObject({ ok: false, retry: true, retryAfterMs: 3000 });
  });

  it('5xx: retried', async () => {
    platform.reply(failure(502, 'Bad Gateway'));
    expect((await renderAndSend(text('hi'))).result).toEqual({ ok: false, retry: true, error: '502: Bad Gateway' });
    platform.reply({ status: 500, body: '<html>Internal Server Error</html>' });
    expect((await renderAndSend(text('hi'))).result).toMatchObject({ ok: false, retry: true });
  });

  it.each([
    [403, 'Forbidden: bot was blocked by the user'],
    [403, 'Forbidden: bot was kicked from the group chat'],
    [400, 'Bad Request: chat not found'],
    [401, 'Unauthorized'],
  ])('%i %s: failed for good with Telegram\'s reason', async (code, description) => {
    platform.reply(failure(code, description));
    const { result } = await renderAndSend(text('hi'));
    expect(result).toEqual({ ok: false, retry: false, error: `${code}: ${description}` });
  });

  it('a group upgraded to a supergroup: failed, naming the new chat id', async () => {
    platform.reply(failure(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1001999 }));
    const { result } = await renderAndSend(text('hi'));
    expect(result).toMatchObject({ ok: false, retry: false, error: expect.stringContaining('-1001999') });
  });

  it('a failure in the middle of a split message stops there, for a retry from the first part', async () => {
    platform.reply(sent, failure(429, 'Too Many Requests: retry after 1', { retry_after: 1 }));
    const long = `${'a'.repeat(TEXT_LIMIT)} ${'b'.repeat(TEXT_LIMIT)} c`;
    const { result, requests } = await renderAndSend(text(long));
    expect(requests).toHaveLength(2);
    expect(result).toMatchObject({ ok: false, retry: true, retryAfterMs: 1000 });
  });

  it('an unreachable API: retried', async () => {
    const down = await new FakePlatform().start();
    const url = down.url;
    await down.stop();
    const ctx = context({ config: { apiBaseUrl: url } });
    const result = await telegramOutbound.send(rendered(text('hi'), ctx).calls, ctx);
    expect(result).toMatchObject({ ok: false, retry: true });
  });

  it('declares Telegram\'s limits: 30 messages a second per bot, 1 a second per chat', () => {
    expect(telegramOutbound.type).toBe('telegram');
    expect(telegramOutbound.limits).toEqual({ perAccount: { messages: 30, perMs: 1000 }, perRecipient: { messages: 1, perMs: 1000 } });
  });
});
