import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InboundEvent, type MessageEvent } from '@signalbox/nodes';
import type { InboundRequest, Normalized } from '../adapter.ts';
import { fixture } from '../testing/fixtures.ts';
import { lineInbound, lineSignature } from './inbound.ts';

const NOW = new Date('2026-11-24T00:00:00Z');
const SECRET = 'line-channel-secret';

async function normalize(body: Buffer | string | object): Promise<Normalized> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return lineInbound.normalize({ body: bytes, contentType: 'application/json', now: NOW });
}

async function eventsOf(body: Buffer | string | object): Promise<InboundEvent[]> {
  const result = await normalize(body);
  if (!result.ok) throw new Error(`${result.error}: ${JSON.stringify(result.issues)}`);
  for (const event of result.events) expect(InboundEvent.safeParse(JSON.parse(JSON.stringify(event))).success).toBe(true);
  return result.events;
}

function messageOf(event: InboundEvent | undefined): MessageEvent {
  if (event?.kind !== 'message') throw new Error(`expected a message event, got ${event?.kind}`);
  return event;
}

interface FixtureEvent {
  replyToken?: string;
  timestamp: number;
  webhookEventId?: string;
  source: { type: string; userId?: string; groupId?: string };
  message?: { id: string; text?: string; packageId?: string; stickerId?: string };
  postback?: { data: string; params?: { datetime?: string } };
}

function fixtureEvents(name: string): { destination: string; events: FixtureEvent[] } {
  return JSON.parse(fixture(`line/${name}`).toString('utf8')) as { destination: string; events: FixtureEvent[] };
}

/** One event in LINE's documented shape, around a message object. */
function webhook(event: Record<string, unknown>): object {
  return {
    destination: 'Uf00000000000000000000000000000bot',
    events: [
      {
        type: 'message',
        mode: 'active',
        timestamp: 1625665242211,
        source: { type: 'user', userId: 'U80696558e1aa831' },
        replyToken: '757913772c4646b784d4b7ce46d12671',
        webhookEventId: '01FZ74A0TDDPYRVKNK77XKC3ZR',
        deliveryContext: { isRedelivery: false },
        ...event,
      },
    ],
  };
}

describe('LINE fixtures', () => {
  it('line_text.json: a 1:1 text (keyed by message id, no webhookEventId) and a follow kept as unsupported', async () => {
    const body = fixtureEvents('line_text.json');
    const [text, follow] = await eventsOf(fixture('line/line_text.json'));
    const source = body.events[0]!;
    const message = messageOf(text);
    expect(message.content).toEqual({ type: 'text', text: source.message!.text });
    expect(message.id).toBe(source.message!.id);
    expect(message.messageId).toBe(source.message!.id);
    expect(message.from).toEqual({ id: source.source.userId });
    expect(message.to).toEqual({ id: body.destination });
    expect(message.thread).toEqual({ id: source.source.userId, kind: 'direct' });
    expect(message.timestamp).toBe(new Date(source.timestamp).toISOString());
    expect(message.echo).toBe(false);
    expect(message.raw).toEqual(source);
    expect(follow).toMatchObject({ kind: 'unsupported', rawType: 'follow', id: body.events[1]!.replyToken, thread: { id: source.source.userId } });
    expect(follow?.raw).toEqual(body.events[1]);
  });

  it('line_image.json: an image sent by a LINE user is fetched later by its message id', async () => {
    const body = fixtureEvents('line_image.json');
    const [image, follow] = await eventsOf(fixture('line/line_image.json'));
    const message = messageOf(image);
    expect(message.content).toEqual({ type: 'image', mediaId: body.events[0]!.message!.id });
    expect(message.messageId).toBe(body.events[0]!.message!.id);
    expect(message.from.id).toBe(body.events[0]!.source.userId);
    expect(follow).toMatchObject({ kind: 'unsupported', rawType: 'follow' });
  });

  it('line_sticker.json: package and sticker ids', async () => {
    const body = fixtureEvents('line_sticker.json');
    const [sticker] = await eventsOf(fixture('line/line_sticker.json'));
    const message = messageOf(sticker);
    const source = body.events[0]!.message!;
    expect(message.content).toEqual({ type: 'sticker', packageId: source.packageId, stickerId: source.stickerId });
    expect(message.id).toBe(source.id);
  });

  it('line_group_text.json: a group message, from the member, keyed by webhookEventId', async () => {
    const body = fixtureEvents('line_group_text.json');
    const [event] = await eventsOf(fixture('line/line_group_text.json'));
    const source = body.events[0]!;
    const message = messageOf(event);
    expect(message.thread).toEqual({ id: source.source.groupId, kind: 'group' });
    expect(message.from).toEqual({ id: source.source.userId });
    expect(message.id).toBe(source.webhookEventId);
    expect(message.messageId).toBe(source.message!.id);
    expect(message.content).toEqual({ type: 'text', text: source.message!.text });
    expect(message.raw).toMatchObject({ replyToken: source.replyToken, deliveryContext: { isRedelivery: false } });
  });

  it('line_postback.json: postback data as payload, the picked date-time as title', async () => {
    const body = fixtureEvents('line_postback.json');
    const [event] = await eventsOf(fixture('line/line_postback.json'));
    const source = body.events[0]!;
    const message = messageOf(event);
    expect(message.content).toEqual({ type: 'postback', payload: source.postback!.data, title: source.postback!.params!.datetime });
    expect(message.id).toBe(source.webhookEventId);
    expect(message.messageId).toBe(source.webhookEventId);
    expect(message.from.id).toBe(source.source.userId);
    expect(message.thread.kind).toBe('direct');
  });
});

describe('LINE message and event types (Messaging API reference examples)', () => {
  it('text keeps emojis and mentions in raw, and a quoted message becomes replyTo', async () => {
    const text = '@All @example Good Morning!! (love)';
    const emojis = [{ index: 29, length: 6, productId: '5ac1bfd5040ab15980c9b435', emojiId: '001' }];
    const mention = { mentionees: [{ index: 0, length: 4, type: 'all' }] };
    const [event] = await eventsOf(webhook({ message: { id: '444573844083572737', type: 'text', text, emojis, mention, quotedMessageId: '468789577898262530' } }));
    const message = messageOf(event);
    expect(message.content).toEqual({ type: 'text', text });
    expect(message.replyTo).toBe('468789577898262530');
    expect(message.raw).toMatchObject({ message: { emojis, mention }, replyToken: '757913772c4646b784d4b7ce46d12671' });
  });

  it('text is kept exactly, surrounding spaces included', async () => {
    const [event] = await eventsOf(webhook({ message: { id: '1', type: 'text', text: '  hola \n' } }));
    expect(messageOf(event).content).toEqual({ type: 'text', text: '  hola \n' });
  });

  it('media from an external provider is linked by URL, not fetched by id', async () => {
    const contentProvider = { type: 'external', originalContentUrl: 'https://example.com/original.mp4', previewImageUrl: 'https://example.com/preview.jpg' };
    const [event] = await eventsOf(webhook({ message: { id: '325708', type: 'video', duration: 60000, contentProvider } }));
    expect(messageOf(event).content).toEqual({ type: 'video', url: 'https://example.com/original.mp4' });
  });

  it('audio from a LINE user is fetched by message id', async () => {
    const [event] = await eventsOf(webhook({ message: { id: '325709', type: 'audio', duration: 60000, contentProvider: { type: 'line' } } }));
    expect(messageOf(event).content).toEqual({ type: 'audio', mediaId: '325709' });
  });

  it('file: name and size', async () => {
    const [event] = await eventsOf(webhook({ message: { id: '325710', type: 'file', fileName: 'file.txt', fileSize: 2138 } }));
    expect(messageOf(event).content).toEqual({ type: 'file', mediaId: '325710', name: 'file.txt', size: 2138 });
  });

  it('location: title, address and coordinates', async () => {
    const location = { id: '325711', type: 'location', title: 'my location', address: '1-3 Kioicho, Chiyoda-ku, Tokyo', latitude: 35.67966, longitude: 139.73669 };
    const [event] = await eventsOf(webhook({ message: location }));
    expect(messageOf(event).content).toEqual({ type: 'location', name: 'my location', address: location.address, latitude: 35.67966, longitude: 139.73669 });
  });

  it("a message sticker's typed text becomes its caption", async () => {
    const sticker = { id: '123456789012345678', type: 'sticker', stickerId: '738839', packageId: '12287', stickerResourceType: 'MESSAGE', text: "Let's\nhang out" };
    const [event] = await eventsOf(webhook({ message: sticker }));
    expect(messageOf(event).content).toEqual({ type: 'sticker', packageId: '12287', stickerId: '738839', caption: "Let's\nhang out" });
  });

  it('a multi-person chat (room) is a group thread, from the member', async () => {
    const [event] = await eventsOf(webhook({ source: { type: 'room', roomId: 'Ra8dbf4673c', userId: 'U4af4980629' }, message: { id: '9', type: 'text', text: 'hi' } }));
    const message = messageOf(event);
    expect(message.thread).toEqual({ id: 'Ra8dbf4673c', kind: 'group' });
    expect(message.from).toEqual({ id: 'U4af4980629' });
  });

  it('a group message without the member id is kept, from the group', async () => {
    const [event] = await eventsOf(webhook({ source: { type: 'group', groupId: 'Ca56f94637c' }, message: { id: '10', type: 'text', text: 'hi' } }));
    expect(messageOf(event).from).toEqual({ id: 'Ca56f94637c' });
  });

  it('unsend -> delete of the unsent message', async () => {
    const [event] = await eventsOf(webhook({ type: 'unsend', unsend: { messageId: '325708' }, source: { type: 'group', groupId: 'Ca56f94637c', userId: 'U4af4980629' } }));
    expect(event).toMatchObject({ kind: 'delete', messageId: '325708', id: '01FZ74A0TDDPYRVKNK77XKC3ZR', from: { id: 'U4af4980629' }, thread: { id: 'Ca56f94637c', kind: 'group' } });
  });

  it('unsend without webhookEventId is keyed <messageId>:unsend', async () => {
    const [event] = await eventsOf(webhook({ type: 'unsend', unsend: { messageId: '325708' }, webhookEventId: undefined }));
    expect(event?.id).toBe('325708:unsend');
  });

  it('a postback without params has no title', async () => {
    const [event] = await eventsOf(webhook({ type: 'postback', postback: { data: 'btn-yes' } }));
    expect(messageOf(event).content).toEqual({ type: 'postback', payload: 'btn-yes' });
  });

  it.each(['unfollow', 'join', 'leave', 'memberJoined', 'memberLeft', 'beacon', 'accountLink', 'things'])('%s -> unsupported with its type', async (type) => {
    const [event] = await eventsOf(webhook({ type, message: undefined }));
    expect(event).toMatchObject({ kind: 'unsupported', rawType: type, id: '01FZ74A0TDDPYRVKNK77XKC3ZR' });
    expect(event?.kind === 'unsupported' && event.reason.length > 0).toBe(true);
  });

  it('an account link that failed has no source: the bot id keeps it addressable', async () => {
    const [event] = await eventsOf(webhook({ type: 'accountLink', source: undefined, replyToken: undefined, link: { result: 'failed', nonce: 'n' } }));
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'accountLink', thread: { id: 'Uf00000000000000000000000000000bot' } });
  });

  it('a redelivered event keeps isRedelivery in raw and the same id', async () => {
    const [first] = await eventsOf(webhook({ message: { id: '1', type: 'text', text: 'x' } }));
    const [again] = await eventsOf(webhook({ message: { id: '1', type: 'text', text: 'x' }, deliveryContext: { isRedelivery: true } }));
    expect(again?.id).toBe(first?.id);
    expect(again?.raw).toMatchObject({ deliveryContext: { isRedelivery: true } });
  });

  it('without webhookEventId or a message id, the reply token keys the event; without either, a stable hash', async () => {
    const [byToken] = await eventsOf(webhook({ type: 'follow', webhookEventId: undefined, message: undefined }));
    expect(byToken?.id).toBe('757913772c4646b784d4b7ce46d12671');
    const bare = { type: 'leave', webhookEventId: undefined, replyToken: undefined, message: undefined, source: { type: 'group', groupId: 'C1' } };
    const [hashed] = await eventsOf(webhook(bare));
    const [redelivered] = await eventsOf(webhook({ ...bare, deliveryContext: { isRedelivery: true } }));
    expect(hashed?.id).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(redelivered?.id).toBe(hashed?.id);
  });
});

describe('LINE robustness', () => {
  it("accepts LINE's endpoint check: no events", async () => {
    expect(await normalize({ destination: 'Uf00000000000000000000000000000bot', events: [] })).toEqual({ ok: true, events: [] });
  });

  it('a body that is not JSON is malformed_body', async () => {
    const result = await normalize('destination=U1&events=');
    expect(result).toMatchObject({ ok: false, error: 'malformed_body' });
  });

  it('JSON that is not the LINE envelope is invalid_body naming the field', async () => {
    const result = await normalize({ object: 'page', entry: [] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBe('invalid_body');
    expect(result.issues.map((i) => i.path)).toContain('$.events');
  });

  it('an unknown event type is unsupported, keeping the whole event', async () => {
    const event = { type: 'newFancyEvent', timestamp: 1, webhookEventId: '01NEW', fancy: { a: 1 }, source: { type: 'user', userId: 'U1' } };
    const [normalized] = await eventsOf({ destination: 'U0', events: [event] });
    expect(normalized).toMatchObject({ kind: 'unsupported', rawType: 'newFancyEvent', id: '01NEW', from: { id: 'U1' } });
    expect(normalized?.raw).toEqual(event);
  });

  it('an unknown message type is a message with unsupported content', async () => {
    const [event] = await eventsOf(webhook({ message: { id: '77', type: 'hologram', depth: 3 } }));
    expect(messageOf(event).content).toEqual({ type: 'unsupported', rawType: 'hologram' });
  });

  it('a message whose fields are wrong keeps the message with unsupported content', async () => {
    const [event] = await eventsOf(webhook({ message: { id: '78', type: 'location', latitude: 'north' } }));
    expect(messageOf(event).content).toEqual({ type: 'unsupported', rawType: 'location' });
  });

  it('an event that is not an object, or a message event without a message, is unsupported; nothing throws', async () => {
    const events = await eventsOf({ destination: 'U0', events: [42, { type: 'message', timestamp: 5, source: { type: 'user', userId: 'U1' } }] });
    expect(events[0]).toMatchObject({ kind: 'unsupported', rawType: 'unknown', raw: 42 });
    expect(events[1]).toMatchObject({ kind: 'unsupported', rawType: 'message' });
  });
});

describe('X-Line-Signature', () => {
  const body = fixture('line/line_text.json');
  const request = (headers: Record<string, string | undefined>, raw: Buffer = body): InboundRequest => ({ method: 'POST', url: 'https://shop.example/hooks/line-1', headers, body: raw });
  const valid = lineSignature(body, SECRET);

  it('is the base64 HMAC-SHA256 of the raw body with the channel secret', () => {
    expect(valid).toBe(createHmac('sha256', SECRET).update(body).digest('base64'));
    expect(lineInbound.verify(request({ 'x-line-signature': valid }), { channelSecret: SECRET })).toEqual({ ok: true });
  });

  it('refuses a tampered body', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('Hello, world', 'Hello, w0rld'));
    expect(lineInbound.verify(request({ 'x-line-signature': valid }, tampered), { channelSecret: SECRET }).ok).toBe(false);
  });

  it('refuses a signature made with another secret', () => {
    expect(lineInbound.verify(request({ 'x-line-signature': lineSignature(body, 'other-secret') }), { channelSecret: SECRET }).ok).toBe(false);
  });

  it('refuses a request without the header, and a channel without a secret', () => {
    expect(lineInbound.verify(request({}), { channelSecret: SECRET })).toEqual({ ok: false, reason: 'missing X-Line-Signature header' });
    expect(lineInbound.verify(request({ 'x-line-signature': valid }), {}).ok).toBe(false);
  });

  it("accepts the console's signed endpoint check", () => {
    const check = Buffer.from('{"destination":"U0","events":[]}');
    expect(lineInbound.verify(request({ 'x-line-signature': lineSignature(check, SECRET) }, check), { channelSecret: SECRET })).toEqual({ ok: true });
  });

  it('has no handshake: LINE has none', () => {
    expect(lineInbound.handshake).toBeUndefined();
  });
});
