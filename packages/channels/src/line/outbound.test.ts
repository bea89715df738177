import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboundMessage } from '@signalbox/nodes';
import type { OutboundContext, PlatformCall, Rendered } from '../outbound.ts';
import { FakePlatform } from '../testing/fake-platform.ts';
import { lineOutbound } from './outbound.ts';
import { cut, splitText } from './render.ts';
import { lineRetryKey, nameBasedUuid } from './retry-key.ts';

const TOKEN = 'line-channel-access-token';
const USER = 'U4af4980629aaaaaaaaaaaaaaaaaaaaaa';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const platform = new FakePlatform();
beforeAll(async () => {
  await platform.start();
});
afterAll(async () => {
  await platform.stop();
});
beforeEach(() => {
  platform.requests.length = 0;
  platform.otherwise(() => ({ status: 200, body: { sentMessages: [{ id: '461230966842064897', quoteToken: 'IStG5h1Tz7b' }] } }));
});

function context(overrides: Partial<OutboundContext> = {}): OutboundContext {
  return {
    config: { apiBaseUrl: platform.url },
    secrets: { channelAccessToken: TOKEN },
    to: USER,
    thread: USER,
    threadTitle: null,
    inReplyTo: null,
    idempotencyKey: 'outbox-42',
    lastInboundAt: null,
    now: new Date('2026-11-24T00:00:00Z'),
    ...overrides,
  };
}

function render(message: unknown, overrides: Partial<OutboundContext> = {}): Rendered {
  return lineOutbound.render(OutboundMessage.parse(message), context(overrides));
}

function rendered(message: unknown, overrides: Partial<OutboundContext> = {}): { calls: PlatformCall[]; degraded: string[] } {
  const result = render(message, overrides);
  if (!result.ok) throw new Error(result.error);
  return result;
}

/** The `messages` of every push request the fake LINE received, in order. */
function pushedMessages(): unknown[][] {
  return platform.requests.map((r) => (r.json as { messages: unknown[] }).messages);
}

async function send(message: unknown, overrides: Partial<OutboundContext> = {}) {
  const { calls, degraded } = rendered(message, overrides);
  const result = await lineOutbound.send(calls, context(overrides));
  return { result, degraded, calls };
}

const buttons = (n: number, title = (i: number) => `Option ${i + 1}`) => Array.from({ length: n }, (_, i) => ({ id: `opt-${i + 1}`, title: title(i) }));

describe('LINE push requests', () => {
  it('a text goes to the push API with the bearer token and a retry key; the sent message id comes back', async () => {
    const { result, degraded } = await send({ type: 'text', text: 'Hello, world' });
    expect(result).toEqual({ ok: true, externalId: '461230966842064897' });
    expect(degraded).toEqual([]);
    const [request] = platform.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v2/bot/message/push');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-line-retry-key']).toMatch(UUID);
    expect(request?.headers['x-line-retry-key']).toBe(lineRetryKey('outbox-42', 0));
    expect(request?.json).toEqual({ to: USER, messages: [{ type: 'text', text: 'Hello, world' }] });
  });

  it('the retry key is the same for every attempt of one outbox row and differs between rows', () => {
    const first = rendered({ type: 'text', text: 'a' }).calls[0]?.headers['x-line-retry-key'];
    const again = rendered({ type: 'text', text: 'a' }).calls[0]?.headers['x-line-retry-key'];
    const other = rendered({ type: 'text', text: 'a' }, { idempotencyKey: 'outbox-43' }).calls[0]?.headers['x-line-retry-key'];
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('the retry key is an RFC 9562 version 5 UUID', () => {
    // RFC 9562's example namespace for DNS names and the widely published v5 value for "www.example.com".
    expect(nameBasedUuid('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('a group conversation is pushed to the group, not to the member', async () => {
    await send({ type: 'text', text: 'hi all' }, { to: USER, thread: 'Ca56f94637cc4347f90a25382909b24b9' });
    expect(platform.requests[0]?.json).toMatchObject({ to: 'Ca56f94637cc4347f90a25382909b24b9' });
  });

  it('buttons that must stay become a Flex Message bubble with postback buttons', async () => {
    const { degraded } = await send({ type: 'text', text: 'Which size?', buttons: [{ id: 'size-s', title: 'Small' }, { id: 'size-l', title: 'Large' }] });
    expect(degraded).toEqual([]);
    expect(pushedMessages()[0]).toEqual([
      {
        type: 'flex',
        altText: 'Which size?',
        contents: {
          type: 'bubble',
          body: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'Which size?', wrap: true }] },
          footer: {
            type: 'box',
            layout: 'vertical',
            spacing: 'sm',
            contents: [
              { type: 'button', style: 'link', height: 'sm', action: { type: 'postback', label: 'Small', data: 'size-s', displayText: 'Small' } },
              { type: 'button', style: 'link', height: 'sm', action: { type: 'postback', label: 'Large', data: 'size-l', displayText: 'Large' } },
            ],
          },
        },
      },
    ]);
  });

  it('quick replies ride on the text, labels cut to 20 characters', async () => {
    const long = 'A very long option label indeed';
    const { degraded } = await send({ type: 'text', text: 'Pick one', quickReplies: true, buttons: [{ id: 'a', title: 'Yes' }, { id: 'b', title: long }] });
    expect(pushedMessages()[0]).toEqual([
      {
        type: 'text',
        text: 'Pick one',
        quickReply: {
          items: [
            { type: 'action', action: { type: 'postback', label: 'Yes', data: 'a', displayText: 'Yes' } },
            { type: 'action', action: { type: 'postback', label: cut(long, 20), data: 'b', displayText: long } },
          ],
        },
      },
    ]);
    expect(cut(long, 20)).toHaveLength(20);
    expect(degraded).toEqual(['button labels cut to 20 characters']);
  });

  it('more than 13 quick replies become numbered text', async () => {
    const { degraded } = await send({ type: 'text', text: 'Pick', quickReplies: true, buttons: buttons(14) });
    const [message] = pushedMessages()[0] as { text: string; quickReply?: unknown }[];
    expect(message?.text).toBe(`Pick\n\n${buttons(14).map((b, i) => `${i + 1}. ${b.title}`).join('\n')}`);
    expect(message?.quickReply).toBeUndefined();
    expect(degraded).toEqual(['14 choices sent as numbered text: LINE shows at most 13 quick replies']);
  });

  it('buttons too big for a Flex bubble (30 KB) fall back to quick replies', () => {
    const text = '漢'.repeat(5000);
    const many = buttons(12, (i) => `${i}${'字'.repeat(299)}`).map((b, i) => ({ ...b, id: `${i}`.padEnd(300, 'x') }));
    const { calls, degraded } = rendered({ type: 'text', text, buttons: many });
    const [message] = (calls[0]?.body as { messages: { type: string; quickReply?: { items: unknown[] } }[] }).messages;
    expect(message?.type).toBe('text');
    expect(message?.quickReply?.items).toHaveLength(12);
    expect(degraded).toContain('buttons sent as quick replies: they do not fit a Flex Message bubble (30 KB)');
  });

  it('a button id longer than postback data allows is sent as a message action with its title', () => {
    const { calls, degraded } = rendered({ type: 'text', text: 'Go?', quickReplies: true, buttons: [{ id: 'x'.repeat(301), title: 'Go' }] });
    const [message] = (calls[0]?.body as { messages: { quickReply: { items: { action: unknown }[] } }[] }).messages;
    expect(message?.quickReply.items[0]?.action).toEqual({ type: 'message', label: 'Go', text: 'Go' });
    expect(degraded).toEqual(['button ids longer than 300 characters sent as message actions with their title']);
  });

  it('a text over 5000 characters is split into messages that join back exactly', () => {
    const text = `${'a'.repeat(4000)} ${'b'.repeat(4000)} ${'c'.repeat(3000)}`;
    const { calls, degraded } = rendered({ type: 'text', text });
    expect(calls).toHaveLength(1);
    const messages = (calls[0]?.body as { messages: { text: string }[] }).messages;
    expect(messages.every((m) => m.text.length <= 5000)).toBe(true);
    expect(messages.map((m) => m.text).join('')).toBe(text);
    expect(degraded).toEqual([`text of ${text.length} characters sent as ${messages.length} messages: a LINE text holds 5000`]);
  });

  it('more than 5 message objects take several requests, each with its own retry key', () => {
    const { calls } = rendered({ type: 'text', text: 'x'.repeat(30_000) });
    expect(calls.map((c) => (c.body as { messages: unknown[] }).messages.length)).toEqual([5, 1]);
    expect(calls[1]?.headers['x-line-retry-key']).toBe(lineRetryKey('outbox-42', 1));
    expect(calls[1]?.headers['x-line-retry-key']).not.toBe(calls[0]?.headers['x-line-retry-key']);
  });

  it('an https image goes as an image message, its caption and buttons after it in the same request', async () => {
    const url = 'https://cdn.example.com/shoe.jpg';
    const { result } = await send({ type: 'media', attachment: { type: 'image', url }, caption: 'Our best seller', buttons: [{ id: 'buy', title: 'Buy' }] });
    expect(result.ok).toBe(true);
    expect(platform.requests).toHaveLength(1);
    const [image, caption] = pushedMessages()[0] as { type: string }[];
    expect(image).toEqual({ type: 'image', originalContentUrl: url, previewImageUrl: url });
    expect(caption).toMatchObject({ type: 'flex', altText: 'Our best seller' });
  });

  it('an image without caption carries its buttons as quick replies', () => {
    const { calls, degraded } = rendered({ type: 'media', attachment: { type: 'image', url: 'https://cdn.example.com/a.png' }, buttons: [{ id: 'ok', title: 'OK' }] });
    const [image] = (calls[0]?.body as { messages: unknown[] }).messages;
    expect(image).toMatchObject({ type: 'image', quickReply: { items: [{ type: 'action', action: { type: 'postback', data: 'ok' } }] } });
    expect(degraded).toEqual(['image buttons sent as quick replies: no caption to carry them']);
  });

  it.each([
    ['image', 'http://cdn.example.com/a.jpg', 'image sent as a link: LINE only takes images from https URLs'],
    ['video', 'https://cdn.example.com/a.mp4', 'video sent as a link: LINE needs a preview image for a video, and the message has none'],
    ['audio', 'https://cdn.example.com/a.m4a', "audio sent as a link: LINE needs an audio's duration, and the message has none"],
    ['file', 'https://cdn.example.com/invoice.pdf', 'file sent as a link: LINE bots cannot send files'],
  ])('%s that LINE cannot show is sent as a text link', (type, url, reason) => {
    const { calls, degraded } = rendered({ type: 'media', attachment: { type, url, name: 'doc' }, caption: 'Here you go' });
    expect((calls[0]?.body as { messages: unknown[] }).messages).toEqual([{ type: 'text', text: `Here you go\ndoc: ${url}` }]);
    expect(degraded).toEqual([reason]);
  });

  it('a list of up to 13 rows becomes quick replies', () => {
    const list = { type: 'list', text: 'Pick a store', buttonTitle: 'Stores', sections: [{ title: 'Tokyo', rows: [{ id: 'st-1', title: 'Shibuya', description: 'open 10-20' }, { id: 'st-2', title: 'Ginza' }] }] };
    const { calls, degraded } = rendered(list);
    const [message] = (calls[0]?.body as { messages: { text: string; quickReply: { items: { action: { data: string } }[] } }[] }).messages;
    expect(message?.text).toBe('Pick a store');
    expect(message?.quickReply.items.map((i) => i.action.data)).toEqual(['st-1', 'st-2']);
    expect(degraded).toEqual(['list sent as quick replies', 'list row descriptions dropped']);
  });

  it('a longer list becomes numbered text with its section titles', () => {
    const rows = Array.from({ length: 14 }, (_, i) => ({ id: `r${i}`, title: `Row ${i + 1}` }));
    const { calls, degraded } = rendered({ type: 'list', text: 'Pick', buttonTitle: 'Rows', sections: [{ title: 'All', rows }] });
    const [message] = (calls[0]?.body as { messages: { text: string }[] }).messages;
    expect(message?.text).toBe(`Pick\n\nAll\n${rows.map((r, i) => `${i + 1}. ${r.title}`).join('\n')}`);
    expect(degraded).toEqual(['list of 14 rows sent as numbered text: LINE shows at most 13 quick replies']);
  });

  it('a template is sent as its fallback text', () => {
    const { calls, degraded } = rendered({ type: 'template', name: 'order_update', language: 'ja', parameters: ['A-1'], fallbackText: 'Your order A-1 shipped' });
    expect((calls[0]?.body as { messages: unknown[] }).messages).toEqual([{ type: 'text', text: 'Your order A-1 shipped' }]);
    expect(degraded).toEqual(['template "order_update" sent as its fallback text: LINE has no message templates to push']);
  });

  it('refuses what cannot be sent: an empty text, no access token, bad settings', () => {
    expect(render({ type: 'text', text: '' })).toEqual({ ok: false, error: 'LINE cannot send an empty text' });
    expect(render({ type: 'text', text: 'x' }, { secrets: {} })).toEqual({ ok: false, error: 'the LINE channel has no channelAccessToken' });
    const bad = render({ type: 'text', text: 'x' }, { config: { apiBaseUrl: 'not a url' } });
    expect(bad.ok === false && bad.error).toMatch(/^invalid LINE channel settings: \$\.apiBaseUrl/);
  });

  it("defaults to LINE's own API host", () => {
    const { calls } = rendered({ type: 'text', text: 'x' }, { config: {} });
    expect(calls[0]?.url).toBe('https://api.line.me/v2/bot/message/push');
  });

  it('limits: 2000 push requests a second per channel, no per-recipient number', () => {
    expect(lineOutbound.limits).toEqual({ perAccount: { messages: 2000, perMs: 1000 } });
  });
});

describe("LINE push answers (Messaging API reference: status codes, error responses, retry keys)", () => {
  it('the last sent message id is the externalId when a message takes several objects', async () => {
    platform.reply({ status: 200, body: { sentMessages: [{ id: '1001' }, { id: '1002', quoteToken: 'q' }] } });
    const { result } = await send({ type: 'media', attachment: { type: 'image', url: 'https://cdn.example.com/a.jpg' }, caption: 'hi' });
    expect(result).toEqual({ ok: true, externalId: '1002' });
  });

  it('409 for a retry key already accepted is a success, with the first send\'s message id', async () => {
    platform.reply({
      status: 409,
      headers: { 'x-line-request-id': 'req-2', 'x-line-accepted-request-id': 'req-1' },
      body: { message: 'The retry key is already accepted', sentMessages: [{ id: '461230966842064897', quoteToken: 'IStG5h1Tz7b' }] },
    });
    expect((await send({ type: 'text', text: 'x' })).result).toEqual({ ok: true, externalId: '461230966842064897' });
  });

  it('409 without sentMessages falls back to the accepted request id', async () => {
    platform.reply({ status: 409, headers: { 'x-line-accepted-request-id': 'req-1' }, body: { message: 'The retry key is already accepted' } });
    expect((await send({ type: 'text', text: 'x' })).result).toEqual({ ok: true, externalId: 'req-1' });
  });

  it('a 5xx is retried; the retry carries the same key and its 409 counts as sent', async () => {
    platform.reply({ status: 500, body: { message: 'Internal server error' } }, { status: 409, headers: { 'x-line-accepted-request-id': 'req-1' }, body: { message: 'The retry key is already accepted' } });
    const first = await send({ type: 'text', text: 'x' });
    expect(first.result).toMatchObject({ ok: false, retry: true, error: '500: Internal server error' });
    const second = await send({ type: 'text', text: 'x' });
    expect(second.result).toEqual({ ok: true, externalId: 'req-1' });
    expect(platform.requests[1]?.headers['x-line-retry-key']).toBe(platform.requests[0]?.headers['x-line-retry-key']);
  });

  it('429 without Retry-After is retried after a second', async () => {
    platform.reply({ status: 429, body: { message: 'Too Many Requests' } });
    expect((await send({ type: 'text', text: 'x' })).result).toEqual({ ok: false, retry: true, retryAfterMs: 1000, error: '429: Too Many Requests' });
  });

  it('429 with Retry-After honours it', async () => {
    platform.reply({ status: 429, headers: { 'retry-after': '7' }, body: { message: 'Too Many Requests' } });
    expect((await send({ type: 'text', text: 'x' })).result).toMatchObject({ ok: false, retry: true, retryAfterMs: 7000 });
  });

  it('429 for the monthly message quota fails at once', async () => {
    platform.reply({ status: 429, body: { message: 'You have reached your monthly limit.' } });
    expect((await send({ type: 'text', text: 'x' })).result).toEqual({ ok: false, retry: false, error: '429: You have reached your monthly limit.' });
  });

  it('400 fails with LINE\'s message, each detail and the request id', async () => {
    platform.reply({
      status: 400,
      headers: { 'x-line-request-id': 'req-9' },
      body: {
        message: 'The request body has 2 error(s)',
        details: [
          { message: 'May not be empty', property: 'messages[0].text' },
          { message: 'Must be one of the following values: [text, image, video, audio, location, sticker, template, imagemap]', property: 'messages[1].type' },
        ],
      },
    });
    expect((await send({ type: 'text', text: 'x' })).result).toEqual({
      ok: false,
      retry: false,
      error:
        '400: The request body has 2 error(s) [messages[0].text: May not be empty; messages[1].type: Must be one of the following values: [text, image, video, audio, location, sticker, template, imagemap]] (x-line-request-id req-9)',
    });
  });

  it('401 (bad token) and 403 (not allowed) fail with LINE\'s message', async () => {
    platform.reply({ status: 401, body: { message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' } }, { status: 403, body: { message: 'Access to this API is not available for your account' } });
    expect((await send({ type: 'text', text: 'x' })).result).toEqual({ ok: false, retry: false, error: '401: Authentication failed. Confirm that the access token in the authorization header is valid.' });
    expect((await send({ type: 'text', text: 'x' })).result).toEqual({ ok: false, retry: false, error: '403: Access to this API is not available for your account' });
  });

  it('a network failure is retried', async () => {
    const down = new FakePlatform();
    await down.start();
    const url = down.url;
    await down.stop();
    const { calls } = rendered({ type: 'text', text: 'x' }, { config: { apiBaseUrl: url } });
    const result = await lineOutbound.send(calls, context());
    expect(result).toMatchObject({ ok: false, retry: true });
  });
});

describe('text helpers', () => {
  it('never splits a surrogate pair and keeps every character', () => {
    const text = '😀'.repeat(3000);
    const parts = splitText(text, 5000);
    expect(parts.join('')).toBe(text);
    expect(parts.every((p) => p.length <= 5000 && !/[\ud800-\udbff]$/.test(p))).toBe(true);
  });

  it('cuts with an ellipsis, never inside a surrogate pair', () => {
    expect(cut('short', 20)).toBe('short');
    expect(cut('abc😀def', 5)).toBe('abc…');
  });
});
