import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboundMessage } from '@signalbox/nodes';
import type { OutboundContext, PlatformCall, Rendered } from '../outbound.ts';
import { FakePlatform, type RecordedRequest } from '../testing/fake-platform.ts';
import { whatsappOutbound } from './outbound.ts';

const PHONE_NUMBER_ID = '106540352242922';
const CUSTOMER = '16505551234';
const TOKEN = 'EAAG-test-token';
const now = new Date('2026-11-24T12:00:00Z');
const HOUR = 3_600_000;

const platform = new FakePlatform();
let wamids = 0;

beforeAll(async () => {
  await platform.start();
});
afterAll(async () => {
  await platform.stop();
});
beforeEach(() => {
  platform.requests.length = 0;
  // The Cloud API's answer to a send (messages reference): the recipient as given and the new message's wamid.
  platform.otherwise((req) => ({ status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: CUSTOMER, wa_id: CUSTOMER }], messages: [{ id: `wamid.OUT${++wamids}` }] }, headers: { 'x-path': req.path } }));
});

function context(overrides: Partial<OutboundContext> = {}): OutboundContext {
  return {
    config: { apiBaseUrl: `${platform.url}/v21.0`, phoneNumberId: PHONE_NUMBER_ID },
    secrets: { accessToken: TOKEN },
    to: CUSTOMER,
    thread: CUSTOMER,
    threadTitle: null,
    inReplyTo: null,
    idempotencyKey: 'outbox-1',
    lastInboundAt: null,
    now,
    ...overrides,
  };
}

/** Messages as flows build them (zod fills the defaults: no buttons, no quick replies, no parameters). */
const message = (input: unknown) => OutboundMessage.parse(input);

function rendered(input: unknown, overrides: Partial<OutboundContext> = {}): { calls: PlatformCall[]; degraded: string[] } {
  const result: Rendered = whatsappOutbound.render(message(input), context(overrides));
  if (!result.ok) throw new Error(result.error);
  return result;
}

/** Renders, sends through the fake Cloud API, and returns what it received. */
async function sent(input: unknown, overrides: Partial<OutboundContext> = {}): Promise<{ requests: RecordedRequest[]; degraded: string[]; externalId: string | null }> {
  const { calls, degraded } = rendered(input, overrides);
  const result = await whatsappOutbound.send(calls, context(overrides));
  if (!result.ok) throw new Error(result.error);
  return { requests: [...platform.requests], degraded, externalId: result.externalId };
}

const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER };

describe('whatsapp outbound: text and choices', () => {
  it('posts a text to /{phoneNumberId}/messages with the bearer token, quoting the customer message, and reads the wamid', async () => {
    const { requests, externalId, degraded } = await sent({ type: 'text', text: 'Hola, ¿en qué te ayudo?' }, { inReplyTo: 'wamid.IN1' });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/v21.0/${PHONE_NUMBER_ID}/messages`);
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json).toEqual({ ...envelope, context: { message_id: 'wamid.IN1' }, type: 'text', text: { body: 'Hola, ¿en qué te ayudo?' } });
    expect(externalId).toBe(`wamid.OUT${wamids}`);
    expect(degraded).toEqual([]);
  });

  it('sends up to 3 buttons as interactive reply buttons', async () => {
    const { requests, degraded } = await sent({ type: 'text', text: 'Track your order?', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] });
    expect(requests[0]?.json).toEqual({
      ...envelope,
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Track your order?' },
        action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] },
      },
    });
    expect(degraded).toEqual([]);
  });

  it('cuts button titles to 20 characters and says so', () => {
    const { calls, degraded } = rendered({ type: 'text', text: 'Pick', buttons: [{ id: 'a', title: 'A very long button title indeed' }] });
    expect(calls[0]?.body).toMatchObject({ interactive: { action: { buttons: [{ reply: { id: 'a', title: 'A very long button …' } }] } } });
    expect(degraded).toEqual(['button titles cut to 20 characters']);
  });

  it('turns 4 to 10 buttons into a list behind the configured label', () => {
    const buttons = Array.from({ length: 5 }, (_, i) => ({ id: `size-${i}`, title: `Size ${i}` }));
    const { calls, degraded } = rendered({ type: 'text', text: 'Which size?', buttons });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toEqual({
      ...envelope,
      type: 'interactive',
      interactive: { type: 'list', body: { text: 'Which size?' }, action: { button: 'Options', sections: [{ rows: buttons.map((b) => ({ id: b.id, title: b.title })) }] } },
    });
    expect(degraded).toEqual(['5 buttons sent as a list: WhatsApp shows at most 3 reply buttons']);
    const labelled = whatsappOutbound.render(message({ type: 'text', text: 'Which size?', buttons }), context({ config: { apiBaseUrl: `${platform.url}/v21.0`, phoneNumberId: PHONE_NUMBER_ID, listButtonLabel: 'Opciones' } }));
    expect(labelled.ok && labelled.calls[0]?.body).toMatchObject({ interactive: { action: { button: 'Opciones' } } });
  });

  it('turns more than 10 buttons into numbered text that keeps every choice', () => {
    const buttons = Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, title: `Choice ${i + 1}` }));
    const { calls, degraded } = rendered({ type: 'text', text: 'Pick one:', buttons });
    expect(calls).toHaveLength(1);
    const body = calls[0]?.body;
    expect(body).toMatchObject({ type: 'text' });
    expect(body).toMatchObject({ text: { body: `Pick one:\n\n${buttons.map((b, i) => `${i + 1}. ${b.title}`).join('\n')}` } });
    expect(degraded).toEqual(['12 choices sent as numbered text: a WhatsApp list holds at most 10']);
  });

  it('splits a text over 4096 characters into several messages that join back exactly; only the first quotes', async () => {
    const text = Array.from({ length: 1100 }, (_, i) => `word${i}`).join(' ');
    expect(text.length).toBeGreaterThan(8192);
    const { requests, degraded, externalId } = await sent({ type: 'text', text }, { inReplyTo: 'wamid.IN2' });
    expect(requests).toHaveLength(3);
    const bodies = requests.map((r) => r.json as { text: { body: string }; context?: unknown });
    expect(bodies.every((b) => b.text.body.length <= 4096)).toBe(true);
    expect(bodies.map((b) => b.text.body).join('')).toBe(text);
    expect(bodies.map((b) => b.context)).toEqual([{ message_id: 'wamid.IN2' }, undefined, undefined]);
    expect(degraded).toEqual(['text split into 3 messages: WhatsApp carries 4096 characters per message']);
    // The message's id is the last part's: status webhooks for it mean the whole answer arrived.
    expect(externalId).toBe(`wamid.OUT${wamids}`);
  });

  it('puts the buttons on the last part of a text longer than an interactive body holds', () => {
    const text = 'x'.repeat(1500);
    const { calls, degraded } = rendered({ type: 'text', text, buttons: [{ id: 'ok', title: 'OK' }] });
    expect(calls).toHaveLength(2);
    const [lead, tail] = calls.map((c) => c.body as { type: string; text?: { body: string }; interactive?: { body: { text: string } } });
    expect(lead?.type).toBe('text');
    expect(tail?.type).toBe('interactive');
    expect((lead?.text?.body ?? '') + (tail?.interactive?.body.text ?? '')).toBe(text);
    expect(tail?.interactive?.body.text.length).toBeLessThanOrEqual(1024);
    expect(degraded).toContain("text longer than an interactive message's 1024 characters: the choices ride on its last part");
  });

  it('refuses an empty text', () => {
    expect(whatsappOutbound.render(message({ type: 'text', text: '' }), context())).toEqual({ ok: false, error: 'WhatsApp cannot send an empty text' });
  });

  it('addresses a customer known only by BSUID through `recipient`', () => {
    const { calls } = rendered({ type: 'text', text: 'hi' }, { to: 'IN.2081978709342942', thread: 'IN.2081978709342942' });
    expect(calls[0]?.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', recipient: 'IN.2081978709342942', type: 'text', text: { body: 'hi' } });
  });
});

describe('whatsapp outbound: media', () => {
  it('sends an image by link with its caption', async () => {
    const { requests, degraded } = await sent({ type: 'media', attachment: { type: 'image', url: 'https://shop.example/p.jpg' }, caption: 'Your order' });
    expect(requests[0]?.json).toEqual({ ...envelope, type: 'image', image: { link: 'https://shop.example/p.jpg', caption: 'Your order' } });
    expect(degraded).toEqual([]);
  });

  it('sends a file as a document with its filename', () => {
    const { calls } = rendered({ type: 'media', attachment: { type: 'file', url: 'https://shop.example/i.pdf', name: 'Factura 42.pdf' }, caption: 'Tu factura' });
    expect(calls[0]?.body).toEqual({ ...envelope, type: 'document', document: { link: 'https://shop.example/i.pdf', caption: 'Tu factura', filename: 'Factura 42.pdf' } });
  });

  it('sends an audio caption as a text of its own: WhatsApp audio has none', () => {
    const { calls, degraded } = rendered({ type: 'media', attachment: { type: 'audio', url: 'https://shop.example/a.ogg' }, caption: 'Listen' });
    expect(calls.map((c) => c.body)).toEqual([
      { ...envelope, type: 'audio', audio: { link: 'https://shop.example/a.ogg' } },
      { ...envelope, type: 'text', text: { body: 'Listen' } },
    ]);
    expect(degraded).toEqual(['audio caption sent as a text of its own: WhatsApp audio has no caption']);
  });

  it('puts media with up to 3 buttons in the header of a reply-button message, the caption as body', () => {
    const { calls, degraded } = rendered({
      type: 'media',
      attachment: { type: 'image', url: 'https://shop.example/shoe.jpg' },
      caption: 'Add to cart?',
      buttons: [{ id: 'add', title: 'Add' }],
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toEqual({
      ...envelope,
      type: 'interactive',
      interactive: {
        type: 'button',
        header: { type: 'image', image: { link: 'https://shop.example/shoe.jpg' } },
        body: { text: 'Add to cart?' },
        action: { buttons: [{ type: 'reply', reply: { id: 'add', title: 'Add' } }] },
      },
    });
    expect(degraded).toEqual([]);
  });

  it('sends media first and then the list when there are more than 3 buttons', () => {
    const buttons = Array.from({ length: 4 }, (_, i) => ({ id: `c${i}`, title: `Color ${i}` }));
    const { calls, degraded } = rendered({ type: 'media', attachment: { type: 'video', url: 'https://shop.example/v.mp4' }, caption: 'Which color?', buttons });
    expect(calls.map((c) => (c.body as { type: string }).type)).toEqual(['video', 'interactive']);
    expect(calls[0]?.body).toEqual({ ...envelope, type: 'video', video: { link: 'https://shop.example/v.mp4' } });
    expect(calls[1]?.body).toMatchObject({ interactive: { type: 'list', body: { text: 'Which color?' } } });
    expect(degraded[0]).toMatch(/^media and its choices sent as separate messages/);
  });

  it('stands a placeholder in for the body of media with buttons and no caption, and says so', () => {
    const { calls, degraded } = rendered({ type: 'media', attachment: { type: 'image', url: 'https://shop.example/p.jpg' }, buttons: [{ id: 'y', title: 'Yes' }] });
    expect(calls[0]?.body).toMatchObject({ interactive: { header: { type: 'image' }, body: { text: '…' } } });
    expect(degraded).toEqual(['media with buttons and no caption: "…" stands in for the body WhatsApp requires']);
  });
});

describe('whatsapp outbound: lists and templates', () => {
  const sections = [
    { title: 'Shoes', rows: [{ id: 'sneakers', title: 'Sneakers', description: 'Running and casual' }, { id: 'boots', title: 'Boots' }] },
    { title: 'Bags', rows: [{ id: 'tote', title: 'Tote' }] },
  ];

  it('sends a list with its sections, rows, descriptions and button title', async () => {
    const { requests, degraded } = await sent({ type: 'list', text: 'What are you looking for?', buttonTitle: 'Browse', sections });
    expect(requests[0]?.json).toEqual({
      ...envelope,
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'What are you looking for?' },
        action: {
          button: 'Browse',
          sections: [
            { title: 'Shoes', rows: [{ id: 'sneakers', title: 'Sneakers', description: 'Running and casual' }, { id: 'boots', title: 'Boots' }] },
            { title: 'Bags', rows: [{ id: 'tote', title: 'Tote' }] },
          ],
        },
      },
    });
    expect(degraded).toEqual([]);
  });

  it('cuts row titles to 24 and descriptions to 72 characters', () => {
    const long = [{ title: 'All', rows: [{ id: 'r', title: 'A row title that is too long', description: 'd'.repeat(80) }] }];
    const { calls, degraded } = rendered({ type: 'list', text: 'Pick', buttonTitle: 'Open', sections: long });
    const row = (calls[0]?.body as { interactive: { action: { sections: { rows: { title: string; description: string }[] }[] } } }).interactive.action.sections[0]?.rows[0];
    expect(row?.title).toBe('A row title that is too…');
    expect(row?.description).toHaveLength(72);
    expect(degraded).toEqual(['list row titles cut to 24 characters', 'list row descriptions cut to 72 characters']);
  });

  it('merges untitled sections, which WhatsApp refuses among several', () => {
    const { calls, degraded } = rendered({ type: 'list', text: 'Pick', buttonTitle: 'Open', sections: [{ title: '', rows: [{ id: 'a', title: 'A' }] }, { title: 'B', rows: [{ id: 'b', title: 'B' }] }] });
    expect(calls[0]?.body).toMatchObject({ interactive: { action: { sections: [{ rows: [{ id: 'a' }, { id: 'b' }] }] } } });
    expect(degraded).toEqual(['list sections merged into one: WhatsApp needs a title on each of several sections']);
  });

  it('sends a list of more than 10 rows as numbered text', () => {
    const rows = Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i + 1}` }));
    const { calls, degraded } = rendered({ type: 'list', text: 'Pick', buttonTitle: 'Open', sections: [{ title: 'All', rows }] });
    expect(calls[0]?.body).toMatchObject({ type: 'text', text: { body: `Pick\n\nAll\n${rows.map((r, i) => `${i + 1}. ${r.title}`).join('\n')}` } });
    expect(degraded).toEqual(['list of 11 rows sent as numbered text: a WhatsApp list holds at most 10']);
  });

  it('sends a template with its body parameters', async () => {
    const { requests, degraded } = await sent({ type: 'template', name: 'order_update', language: 'es_MX', parameters: ['Ana', '#42'], fallbackText: 'Hola Ana, tu pedido #42 salió' });
    expect(requests[0]?.json).toEqual({
      ...envelope,
      type: 'template',
      template: { name: 'order_update', language: { code: 'es_MX' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '#42' }] }] },
    });
    expect(degraded).toEqual([]);
  });

  it('sends a template without parameters without components', () => {
    const { calls } = rendered({ type: 'template', name: 'hello_world', language: 'en_US', fallbackText: 'Hello' });
    expect(calls[0]?.body).toEqual({ ...envelope, type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });
  });
});

describe("whatsapp outbound: the 24-hour customer service window", () => {
  const lateWindow = { lastInboundAt: new Date(now.getTime() - 25 * HOUR) };

  it('refuses free-form messages when the customer last wrote more than 24 hours ago', () => {
    for (const input of [
      { type: 'text', text: 'Still there?' },
      { type: 'media', attachment: { type: 'image', url: 'https://shop.example/p.jpg' } },
      { type: 'list', text: 'Pick', buttonTitle: 'Open', sections: [{ title: 'A', rows: [{ id: 'a', title: 'A' }] }] },
    ]) {
      const result = whatsappOutbound.render(message(input), context(lateWindow));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error).toMatch(/^outside WhatsApp's 24-hour customer service window: the customer last wrote 25 h ago/);
    }
  });

  it('still sends templates outside the window', () => {
    const result = whatsappOutbound.render(message({ type: 'template', name: 'reengage', language: 'en', fallbackText: 'Hi' }), context(lateWindow));
    expect(result.ok).toBe(true);
  });

  it('sends free-form within the window, and when the last message time is unknown', () => {
    expect(whatsappOutbound.render(message({ type: 'text', text: 'hi' }), context({ lastInboundAt: new Date(now.getTime() - 23 * HOUR) })).ok).toBe(true);
    expect(whatsappOutbound.render(message({ type: 'text', text: 'hi' }), context({ lastInboundAt: null })).ok).toBe(true);
  });
});

describe('whatsapp outbound: channel settings', () => {
  it('refuses to render without a phone number id, naming the field', () => {
    const result = whatsappOutbound.render(message({ type: 'text', text: 'hi' }), context({ config: { apiBaseUrl: platform.url } }));
    expect(result.ok === false && result.error).toMatch(/^invalid WhatsApp channel settings: \$\.phoneNumberId/);
  });

  it('refuses to render without an access token', () => {
    expect(whatsappOutbound.render(message({ type: 'text', text: 'hi' }), context({ secrets: {} }))).toEqual({ ok: false, error: 'the WhatsApp channel has no accessToken' });
  });

  it('paces at 80 messages a second per phone number, with no per-customer limiter', () => {
    expect(whatsappOutbound.limits).toEqual({ perAccount: { messages: 80, perMs: 1000 } });
  });
});

describe('whatsapp outbound: answers of the Cloud API', () => {
  const text = { type: 'text', text: 'hi' };
  const graphError = (code: number, message: string, details?: string) => ({
    error: { message, type: 'OAuthException', code, ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}), fbtrace_id: 'AbC123' },
  });

  async function answer(...replies: Parameters<FakePlatform['reply']>) {
    platform.reply(...replies);
    const { calls } = rendered(text);
    return whatsappOutbound.send(calls, context());
  }

  it('retries a throughput limit (130429, HTTP 429) after Retry-After', async () => {
    const result = await answer({ status: 429, headers: { 'retry-after': '7' }, body: graphError(130429, '(#130429) Rate limit hit', 'Cloud API message throughput has been reached.') });
    expect(result).toEqual({ ok: false, retry: true, retryAfterMs: 7000, error: '130429: (#130429) Rate limit hit (Cloud API message throughput has been reached.) (fbtrace_id AbC123)' });
  });

  it('retries the pair rate limit (131056) after a minute when Meta names no wait', async () => {
    const result = await answer({ status: 400, body: graphError(131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit') });
    expect(result).toMatchObject({ ok: false, retry: true, retryAfterMs: 60_000 });
    expect(!result.ok && result.error).toMatch(/^131056: /);
  });

  it('retries the spam rate limit (131048) after ten minutes', async () => {
    expect(await answer({ status: 400, body: graphError(131048, 'Spam rate limit hit') })).toMatchObject({ ok: false, retry: true, retryAfterMs: 600_000 });
  });

  it('retries the account rate limit (80007) after the time X-Business-Use-Case-Usage names', async () => {
    const usage = JSON.stringify({ '102290129340398': [{ type: 'whatsapp', call_count: 100, estimated_time_to_regain_access: 3 }] });
    const result = await answer({ status: 400, headers: { 'x-business-use-case-usage': usage }, body: graphError(80007, 'Rate limit issues') });
    expect(result).toMatchObject({ ok: false, retry: true, retryAfterMs: 180_000 });
  });

  it('retries the app call rate limit (4)', async () => {
    expect(await answer({ status: 400, body: graphError(4, 'Application request limit reached') })).toMatchObject({ ok: false, retry: true, retryAfterMs: 60_000 });
  });

  it('retries server errors: 500 with 131000, 503 with 131016, and a 502 without a Graph body', async () => {
    expect(await answer({ status: 500, body: graphError(131000, 'Something went wrong') })).toMatchObject({ ok: false, retry: true });
    expect(await answer({ status: 503, body: graphError(131016, 'Service unavailable') })).toMatchObject({ ok: false, retry: true });
    expect(await answer({ status: 502, body: '<html>Bad gateway</html>' })).toMatchObject({ ok: false, retry: true, error: 'HTTP 502: <html>Bad gateway</html>' });
  });

  it('fails for good outside the window (131047) with the platform code and reason', async () => {
    const details = 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.';
    const result = await answer({ status: 400, body: graphError(131047, 'Re-engagement message', details) });
    expect(result).toEqual({ ok: false, retry: false, error: `131047: Re-engagement message (${details}) (fbtrace_id AbC123)` });
  });

  it('fails for good when undeliverable (131026), on an invalid parameter (100) and on an expired token (190)', async () => {
    expect(await answer({ status: 400, body: graphError(131026, 'Message undeliverable') })).toMatchObject({ ok: false, retry: false, error: expect.stringMatching(/^131026: /) });
    expect(await answer({ status: 400, body: { error: { ...graphError(100, 'Invalid parameter').error, error_subcode: 2494010 } } })).toMatchObject({
      ok: false,
      retry: false,
      error: expect.stringMatching(/^100\/2494010: Invalid parameter/),
    });
    expect(await answer({ status: 401, body: graphError(190, 'Error validating access token: Session has expired') })).toMatchObject({ ok: false, retry: false, error: expect.stringMatching(/^190: /) });
  });

  it('retries when the Cloud API cannot be reached', async () => {
    const { calls } = rendered(text);
    const unreachable = calls.map((c) => ({ ...c, url: 'http://127.0.0.1:1/v21.0/x/messages' }));
    expect(await whatsappOutbound.send(unreachable, context())).toMatchObject({ ok: false, retry: true });
  });

  it('stops at the first failing part of a split message and reports it', async () => {
    platform.reply({ status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.PART1' }] } }, { status: 400, body: graphError(131026, 'Message undeliverable') });
    const { calls } = rendered({ type: 'text', text: 'y '.repeat(3000) });
    expect(calls).toHaveLength(2);
    const result = await whatsappOutbound.send(calls, context());
    expect(result).toMatchObject({ ok: false, retry: false });
    expect(platform.requests).toHaveLength(2);
  });

  it('sends with a null externalId when the answer names no message', async () => {
    expect(await answer({ status: 200, body: { messaging_product: 'whatsapp' } })).toEqual({ ok: true, externalId: null });
  });
});
