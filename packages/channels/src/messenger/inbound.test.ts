import { describe, expect, it } from 'vitest';
import { InboundEvent } from '@signalbox/nodes';
import type { InboundRequest, Normalized } from '../adapter.ts';
import { metaSignature } from '../meta/webhook.ts';
import { fixture } from '../testing/fixtures.ts';
import { messengerInbound } from './inbound.ts';

const now = new Date('2026-11-24T00:00:00Z');
const PAGE = '117172741761305';
const PSID = '3383290475046708';
const secrets = { appSecret: 'app-secret', verifyToken: 'verify-me' };

async function normalize(body: Buffer | string | object): Promise<Normalized> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return messengerInbound.normalize({ body: bytes, contentType: 'application/json', now });
}

async function eventsOf(body: Buffer | object): Promise<InboundEvent[]> {
  const result = await normalize(body);
  if (!result.ok) throw new Error(`${result.error}: ${JSON.stringify(result.issues)}`);
  for (const event of result.events) expect(InboundEvent.safeParse(JSON.parse(JSON.stringify(event))).success).toBe(true);
  return result.events;
}

function only<T>(events: T[]): T {
  expect(events).toHaveLength(1);
  return events[0] as T;
}

/** A Page webhook around messaging items, as Meta posts it. */
function page(...messaging: object[]): object {
  return { object: 'page', entry: [{ id: PAGE, time: 1700000000500, messaging }] };
}

function fromCustomer(fields: object, timestamp = 1700000000000): object {
  return { sender: { id: PSID }, recipient: { id: PAGE }, timestamp, ...fields };
}

function request(body: string, headers: Record<string, string | undefined>, method = 'POST', url = '/hooks/messenger-1'): InboundRequest {
  return { method, url, headers, body: Buffer.from(body) };
}

describe('messenger fixtures', () => {
  it('messenger_text.json: a customer text, the thread being the customer', async () => {
    const raw = JSON.parse(fixture('messenger/messenger_text.json').toString('utf8'));
    const item = raw.entry[0].messaging[0];
    const event = only(await eventsOf(fixture('messenger/messenger_text.json')));
    expect(event).toMatchObject({
      kind: 'message',
      channelType: 'messenger',
      id: item.message.mid,
      messageId: item.message.mid,
      thread: { id: item.sender.id, kind: 'direct' },
      from: { id: item.sender.id },
      to: { id: item.recipient.id },
      content: { type: 'text', text: 'facebook message' },
      echo: false,
      timestamp: new Date(item.timestamp).toISOString(),
    });
    expect(event.raw).toEqual(item);
  });

  it('messenger_postback_get_started.json: the Get Started button as postback content', async () => {
    const raw = JSON.parse(fixture('messenger/messenger_postback_get_started.json').toString('utf8'));
    const postback = raw.entry[0].messaging[0].postback;
    const event = only(await eventsOf(fixture('messenger/messenger_postback_get_started.json')));
    expect(event).toMatchObject({
      kind: 'message',
      id: postback.mid,
      messageId: postback.mid,
      from: { id: PSID },
      thread: { id: PSID },
      content: { type: 'postback', payload: 'GET_STARTED', title: 'Get Started' },
      echo: false,
    });
  });

  it('messenger_delivery.json: a watermark-only delivery receipt is a delivered status up to the watermark', async () => {
    const event = only(await eventsOf(fixture('messenger/messenger_delivery.json')));
    expect(event).toMatchObject({
      kind: 'status',
      status: 'delivered',
      id: `delivery:${PSID}:1648581633369`,
      messageId: `delivery:${PSID}:1648581633369`,
      upTo: new Date(1648581633369).toISOString(),
      thread: { id: PSID },
      timestamp: new Date(1648581633369).toISOString(),
    });
  });

  it('messenger_read.json: a watermark-only read receipt is a read status up to the watermark', async () => {
    const event = only(await eventsOf(fixture('messenger/messenger_read.json')));
    expect(event).toMatchObject({ kind: 'status', status: 'read', id: `read:${PSID}:1648581633369`, upTo: new Date(1648581633369).toISOString(), thread: { id: PSID } });
  });

  it('a receipt with neither message ids nor a watermark stays unsupported', async () => {
    const event = only(await eventsOf(page({ sender: { id: PSID }, recipient: { id: PAGE }, read: {} })));
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'read' });
  });

  it('facebook_feed_comment.json: a Page feed change is unsupported, keeping the commenter', async () => {
    const raw = JSON.parse(fixture('messenger/facebook_feed_comment.json').toString('utf8'));
    const event = only(await eventsOf(fixture('messenger/facebook_feed_comment.json')));
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'feed', from: { id: PSID, name: 'Jane Dae' }, thread: { id: PSID } });
    expect(event.id).toMatch(/^feed:[0-9a-f]{16}$/);
    expect(event.raw).toEqual(raw.entry[0].changes[0]);
    expect(event.timestamp).toBe(new Date(raw.entry[0].time).toISOString());
  });
});

describe('messenger messaging items', () => {
  it('reads a quick reply tap as an interactive choice: payload as id, the posted title as title', async () => {
    const event = only(await eventsOf(page(fromCustomer({ message: { mid: 'm_qr', text: 'Red', quick_reply: { payload: 'COLOR_RED' } } }))));
    expect(event).toMatchObject({ kind: 'message', content: { type: 'interactive', id: 'COLOR_RED', title: 'Red', kind: 'button' } });
  });

  it('keeps a reply-to mid and an ad referral on the message', async () => {
    const referral = { ref: 'spring', ad_id: '6045246247433', source: 'ADS', type: 'OPEN_THREAD', ads_context_data: { ad_title: 'Spring sale', photo_url: 'https://cdn.example/ad.jpg' } };
    const event = only(await eventsOf(page(fromCustomer({ message: { mid: 'm_r', text: 'is it on sale?', reply_to: { mid: 'm_original' }, referral } }))));
    expect(event).toMatchObject({
      kind: 'message',
      replyTo: 'm_original',
      referral: { source: 'ADS', adId: '6045246247433', headline: 'Spring sale', url: 'https://cdn.example/ad.jpg', ref: 'spring' },
    });
  });

  it('marks an echo of the Page\'s own message: from the Page, thread still the customer', async () => {
    const echo = { sender: { id: PAGE }, recipient: { id: PSID }, timestamp: 1700000000000, message: { mid: 'm_echo', is_echo: true, app_id: 1517776481860111, text: 'Thanks!' } };
    const event = only(await eventsOf(page(echo)));
    expect(event).toMatchObject({ kind: 'message', echo: true, from: { id: PAGE }, to: { id: PSID }, thread: { id: PSID }, content: { type: 'text', text: 'Thanks!' } });
  });

  it('puts every image of a multi-image message in attachments and the first in content', async () => {
    const attachments = [
      { type: 'image', payload: { url: 'https://cdn.example/1.jpg' } },
      { type: 'image', payload: { url: 'https://cdn.example/2.jpg' } },
    ];
    const event = only(await eventsOf(page(fromCustomer({ message: { mid: 'm_imgs', attachments } }))));
    expect(event.kind === 'message' && event.content).toEqual({ type: 'image', url: 'https://cdn.example/1.jpg' });
    expect(event.kind === 'message' && event.attachments?.map((a) => a.url)).toEqual(['https://cdn.example/1.jpg', 'https://cdn.example/2.jpg']);
  });

  it('reads the thumbs-up (an image with a sticker_id) as a sticker, and audio, file and location by type', async () => {
    const messages = [
      { mid: 'm_like', attachments: [{ type: 'image', payload: { url: 'https://cdn.example/like.png', sticker_id: 369239263222822 } }] },
      { mid: 'm_audio', attachments: [{ type: 'audio', payload: { url: 'https://cdn.example/a.mp4' } }] },
      { mid: 'm_file', attachments: [{ type: 'file', payload: { url: 'https://cdn.example/f.pdf' } }] },
      { mid: 'm_loc', attachments: [{ type: 'location', payload: { title: 'Shop', coordinates: { lat: 52.52, long: 13.405 } } }] },
    ];
    const events = await eventsOf(page(...messages.map((message) => fromCustomer({ message }))));
    expect(events.map((e) => (e.kind === 'message' ? e.content : null))).toEqual([
      { type: 'sticker', url: 'https://cdn.example/like.png', stickerId: '369239263222822' },
      { type: 'audio', url: 'https://cdn.example/a.mp4' },
      { type: 'file', url: 'https://cdn.example/f.pdf' },
      { type: 'location', latitude: 52.52, longitude: 13.405, name: 'Shop' },
    ]);
  });

  it('keeps the text of a shared link and calls a bare fallback attachment unsupported content', async () => {
    const withText = { mid: 'm_link', text: 'https://shop.example/p/1', attachments: [{ type: 'fallback', payload: { url: 'https://shop.example/p/1', title: 'Product' } }] };
    const bare = { mid: 'm_bare', attachments: [{ type: 'fallback', payload: null }] };
    const [linked, unknown] = await eventsOf(page(fromCustomer({ message: withText }), fromCustomer({ message: bare })));
    expect(linked).toMatchObject({ kind: 'message', content: { type: 'text', text: 'https://shop.example/p/1' } });
    expect(unknown).toMatchObject({ kind: 'message', messageId: 'm_bare', content: { type: 'unsupported', rawType: 'fallback' } });
  });

  it('turns one delivery receipt with mids into a delivered status per mid', async () => {
    const events = await eventsOf(page({ sender: { id: PSID }, recipient: { id: PAGE }, delivery: { mids: ['m_a', 'm_b'], watermark: 1700000000123 } }));
    expect(events).toMatchObject([
      { kind: 'status', id: 'm_a:delivered', messageId: 'm_a', status: 'delivered', thread: { id: PSID }, timestamp: new Date(1700000000123).toISOString() },
      { kind: 'status', id: 'm_b:delivered', messageId: 'm_b', status: 'delivered' },
    ]);
  });

  it('reads reactions and their removal', async () => {
    const [added, removed] = await eventsOf(
      page(
        fromCustomer({ reaction: { mid: 'm_x', action: 'react', reaction: 'love', emoji: '❤️' } }, 1700000000001),
        fromCustomer({ reaction: { mid: 'm_x', action: 'unreact' } }, 1700000000002),
      ),
    );
    expect(added).toMatchObject({ kind: 'reaction', messageId: 'm_x', emoji: '❤️', removed: false, from: { id: PSID } });
    expect(removed).toMatchObject({ kind: 'reaction', messageId: 'm_x', removed: true });
    expect(added?.id).not.toBe(removed?.id);
  });

  it('reads an edit with its new text and a time-stamped id', async () => {
    const event = only(await eventsOf(page(fromCustomer({ message_edit: { mid: 'm_e', text: 'fixed typo', num_edit: 1 } }))));
    expect(event).toMatchObject({ kind: 'edit', id: 'm_e:edit:1700000000000', messageId: 'm_e', content: { type: 'text', text: 'fixed typo' }, from: { id: PSID } });
  });

  it('reads an m.me referral into an open thread as a message carrying the referral', async () => {
    const event = only(await eventsOf(page(fromCustomer({ referral: { ref: 'winter-promo', source: 'SHORTLINK', type: 'OPEN_THREAD' } }))));
    expect(event).toMatchObject({
      kind: 'message',
      id: `referral:${PSID}:1700000000000`,
      content: { type: 'unsupported', rawType: 'referral' },
      referral: { source: 'SHORTLINK', ref: 'winter-promo' },
      echo: false,
    });
  });

  it('keeps the referral of a Get Started postback from an ad', async () => {
    const postback = { title: 'Get Started', payload: 'GET_STARTED', mid: 'm_gs', referral: { ref: 'ad-7', source: 'ADS', type: 'OPEN_THREAD', ad_id: '123' } };
    const event = only(await eventsOf(page(fromCustomer({ postback }))));
    expect(event).toMatchObject({ kind: 'message', content: { type: 'postback', payload: 'GET_STARTED' }, referral: { source: 'ADS', adId: '123', ref: 'ad-7' } });
  });

  it('keeps unknown messaging items (optin) and handover standby items as unsupported, raw intact', async () => {
    const optin = fromCustomer({ optin: { ref: 'checkbox', user_ref: 'u-1' } });
    const body = { object: 'page', entry: [{ id: PAGE, time: 1700000000500, messaging: [optin], standby: [fromCustomer({ message: { mid: 'm_sb', text: 'hi' } })] }] };
    const [unknown, standby] = await eventsOf(body);
    expect(unknown).toMatchObject({ kind: 'unsupported', rawType: 'optin', from: { id: PSID } });
    expect(unknown?.raw).toEqual(optin);
    expect(standby).toMatchObject({ kind: 'unsupported', rawType: 'standby' });
  });

  it('keeps an unknown attachment type as unsupported content', async () => {
    const event = only(await eventsOf(page(fromCustomer({ message: { mid: 'm_t', attachments: [{ type: 'appointment_booking', payload: { id: 'b1' } }] } }))));
    expect(event).toMatchObject({ kind: 'message', messageId: 'm_t', content: { type: 'unsupported', rawType: 'appointment_booking' } });
  });

  it('gives the same ids for the same body, so a redelivered webhook dedupes', async () => {
    const body = fixture('messenger/facebook_feed_comment.json');
    expect((await eventsOf(body)).map((e) => e.id)).toEqual((await eventsOf(body)).map((e) => e.id));
  });
});

describe('messenger bodies that are not Page webhooks', () => {
  it('refuses a body that is not JSON', async () => {
    const result = await normalize('{"object": "page", ');
    expect(result).toMatchObject({ ok: false, error: 'malformed_body' });
  });

  it('names the missing entry field', async () => {
    const result = await normalize({ object: 'page' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBe('invalid_body');
      expect(result.issues.map((i) => i.path)).toContain('$.entry');
    }
  });

  it('names the object field when an Instagram body reaches a Messenger channel', async () => {
    const result = await normalize({ object: 'instagram', entry: [] });
    expect(result.ok === false && result.issues[0]).toMatchObject({ path: '$.object' });
  });

  it('turns an item without a sender into an unsupported event instead of failing the body', async () => {
    const event = only(await eventsOf(page({ recipient: { id: PAGE }, timestamp: 1, message: { mid: 'm_n', text: 'x' } })));
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'message', thread: { id: PAGE } });
  });

  it('turns a message without a mid into an unsupported event naming the field', async () => {
    const event = only(await eventsOf(page(fromCustomer({ message: { text: 'no id' } }))));
    expect(event.kind === 'unsupported' && event.reason).toMatch(/\$\.message\.mid/);
  });
});

describe('messenger webhook security', () => {
  const body = fixture('messenger/messenger_text.json').toString('utf8');

  it('accepts the X-Hub-Signature-256 of the app secret over the exact body', () => {
    const header = metaSignature(Buffer.from(body), secrets.appSecret);
    expect(messengerInbound.verify(request(body, { 'x-hub-signature-256': header }), secrets)).toEqual({ ok: true });
  });

  it('refuses a tampered body, a wrong secret and a missing header', () => {
    const header = metaSignature(Buffer.from(body), secrets.appSecret);
    expect(messengerInbound.verify(request(body.replace('facebook message', 'facebook massage'), { 'x-hub-signature-256': header }), secrets).ok).toBe(false);
    const wrong = metaSignature(Buffer.from(body), 'another-secret');
    expect(messengerInbound.verify(request(body, { 'x-hub-signature-256': wrong }), secrets).ok).toBe(false);
    expect(messengerInbound.verify(request(body, {}), secrets)).toEqual({ ok: false, reason: 'missing X-Hub-Signature-256 header' });
  });

  it('answers the subscription handshake with the challenge when the verify token matches', () => {
    const url = '/hooks/messenger-1?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444';
    expect(messengerInbound.handshake?.(request('', {}, 'GET', url), secrets)).toEqual({ status: 200, contentType: 'text/plain', body: '1158201444' });
  });

  it('refuses the handshake with a wrong verify token, and ignores requests that are not one', () => {
    const url = '/hooks/messenger-1?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444';
    expect(messengerInbound.handshake?.(request('', {}, 'GET', url), secrets)?.status).toBe(403);
    expect(messengerInbound.handshake?.(request(body, {}), secrets)).toBeNull();
  });
});
