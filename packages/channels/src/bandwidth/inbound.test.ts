import { describe, expect, it } from 'vitest';
import type { InboundEvent, MessageEvent } from '@signalbox/nodes';
import type { InboundRequest } from '../adapter.ts';
import { fixture } from '../testing/fixtures.ts';
import { bandwidthInbound } from './inbound.ts';

const now = new Date('2026-11-24T00:00:00Z');

interface Callback {
  time: string;
  type: string;
  to: string;
  description: string;
  message: { id: string; owner: string; time: string; to: string[]; from: string; text: string; segmentCount: number };
}

function received(): Callback {
  return JSON.parse(fixture('bandwidth/bandwidth_sms_message_received.json').toString('utf8')) as Callback;
}

async function normalize(value: unknown): Promise<InboundEvent[]> {
  const result = await bandwidthInbound.normalize({ body: Buffer.from(JSON.stringify(value)), contentType: 'application/json', now });
  if (!result.ok) throw new Error(`${result.error}: ${JSON.stringify(result.issues)}`);
  return result.events;
}

function asMessage(event: InboundEvent | undefined): MessageEvent {
  if (event?.kind !== 'message') throw new Error(`expected a message, got ${event?.kind}`);
  return event;
}

const outbound = {
  id: '1661365814859loidf7mcwd4qacn7',
  owner: '+15550001111',
  applicationId: '93de2206-9669-4e07-948d-329f4b722ee2',
  time: '2026-11-23T10:00:00.000Z',
  segmentCount: 1,
  direction: 'out',
  to: ['+15559990000'],
  from: '+15550001111',
  text: '',
  tag: 'outbox-1',
};

describe('Bandwidth fixtures', () => {
  it('bandwidth_sms_message_received.json (a single object): an SMS from the customer', async () => {
    const callback = received();
    const [first, ...rest] = await normalize(callback);
    expect(rest).toEqual([]);
    const event = asMessage(first);
    expect(event.id).toBe(callback.message.id);
    expect(event.messageId).toBe(callback.message.id);
    expect(event.content).toEqual({ type: 'text', text: callback.message.text });
    expect(event.from).toEqual({ id: callback.message.from, phone: callback.message.from });
    expect(event.to).toEqual({ id: callback.to, phone: callback.to });
    expect(event.thread).toEqual({ id: callback.message.from, kind: 'direct' });
    expect(event.timestamp).toBe(new Date(callback.time).toISOString());
    expect(event.raw).toEqual(callback);
  });

  it('the same event in the array Bandwidth really posts', async () => {
    const callback = received();
    expect(await normalize([callback])).toEqual(await normalize(callback));
  });
});

describe('Bandwidth message-received', () => {
  it('several events in one body, in order, each with its own raw', async () => {
    const a = received();
    const b = { ...received(), message: { ...received().message, id: 'second', text: 'again' } };
    const events = await normalize([a, b]);
    expect(events.map((e) => e.id)).toEqual([a.message.id, 'second']);
    expect(events[1]?.raw).toEqual(b);
  });

  it('MMS media: the first is the content with the text as caption, all in attachments, the SMIL layout left out', async () => {
    const base = 'https://messaging.bandwidth.com/api/v2/users/9900000/media';
    const callback = {
      ...received(),
      message: { ...received().message, text: 'look', media: [`${base}/14762070468292kw2fuqty55yp2b2/0/photo.jpg`, `${base}/14762070468292kw2fuqty55yp2b2/1/0.smil`, `${base}/14762070468292kw2fuqty55yp2b2/2/clip.mp4`] },
    };
    const event = asMessage((await normalize([callback]))[0]);
    const photo = { type: 'image', url: `${base}/14762070468292kw2fuqty55yp2b2/0/photo.jpg`, mediaId: '14762070468292kw2fuqty55yp2b2/0/photo.jpg', name: 'photo.jpg' };
    expect(event.content).toEqual({ ...photo, caption: 'look' });
    expect(event.attachments).toEqual([
      { ...photo, caption: 'look' },
      { type: 'video', url: `${base}/14762070468292kw2fuqty55yp2b2/2/clip.mp4`, mediaId: '14762070468292kw2fuqty55yp2b2/2/clip.mp4', name: 'clip.mp4' },
    ]);
  });

  it('a group MMS: the thread is every participant sorted, the same whoever writes', async () => {
    const fromAna = { ...received(), message: { ...received().message, from: '+15553330000', to: ['+15550001111', '+15552220000'] } };
    const fromBo = { ...received(), message: { ...received().message, id: 'm2', from: '+15552220000', to: ['+15553330000', '+15550001111'] } };
    const [ana, bo] = (await normalize([fromAna, fromBo])).map(asMessage);
    expect(ana?.thread).toEqual({ id: '+15550001111,+15552220000,+15553330000', kind: 'group' });
    expect(bo?.thread).toEqual(ana?.thread);
    expect(ana?.from.id).toBe('+15553330000');
  });

  it('keeps the text exactly', async () => {
    const callback = { ...received(), message: { ...received().message, text: '  Hi\n ' } };
    expect(asMessage((await normalize(callback))[0]).content).toEqual({ type: 'text', text: '  Hi\n ' });
  });
});

describe('Bandwidth status callbacks', () => {
  it('message-delivered -> delivered, thread = the recipient', async () => {
    const [event] = await normalize([{ type: 'message-delivered', time: '2026-11-23T10:00:02.000Z', description: 'ok', to: '+15559990000', message: outbound }]);
    expect(event).toMatchObject({ kind: 'status', id: `${outbound.id}:delivered`, messageId: outbound.id, status: 'delivered', thread: { id: '+15559990000', kind: 'direct' } });
    expect(event?.timestamp).toBe('2026-11-23T10:00:02.000Z');
  });

  it('message-sending (MMS) -> sent', async () => {
    const [event] = await normalize([{ type: 'message-sending', time: '2026-11-23T10:00:01.000Z', description: 'Message is sending to carrier', to: '+15559990000', message: outbound }]);
    expect(event).toMatchObject({ kind: 'status', status: 'sent', id: `${outbound.id}:sent` });
  });

  it('message-failed -> failed with errorCode and description', async () => {
    const [event] = await normalize([
      { type: 'message-failed', time: '2026-11-23T10:00:02.000Z', description: 'rejected-unallocated-from-number', to: '+15559990000', errorCode: 4405, message: outbound },
    ]);
    expect(event).toMatchObject({ kind: 'status', status: 'failed', error: { code: '4405', message: 'rejected-unallocated-from-number' } });
  });

  it('a status of a group message belongs to the group thread', async () => {
    const [event] = await normalize([{ type: 'message-delivered', to: '+15552220000', message: { ...outbound, to: ['+15559990000', '+15552220000'] } }]);
    expect(event?.thread).toEqual({ id: '+15550001111,+15552220000,+15559990000', kind: 'group' });
  });
});

describe('Bandwidth robustness', () => {
  it('not JSON -> malformed_body', async () => {
    const result = await bandwidthInbound.normalize({ body: Buffer.from('[{"type":'), contentType: 'application/json', now });
    expect(result).toMatchObject({ ok: false, error: 'malformed_body' });
  });

  it('events without a type -> invalid_body naming the field', async () => {
    const result = await bandwidthInbound.normalize({ body: Buffer.from('[{"message":{}}]'), contentType: 'application/json', now });
    expect(result).toEqual({ ok: false, error: 'invalid_body', issues: [{ path: '$[0].type', message: expect.any(String) }] });
  });

  it('a known event whose message lacks an id -> invalid_body naming the field', async () => {
    const callback = { ...received(), message: { ...received().message, id: undefined } };
    const result = await bandwidthInbound.normalize({ body: Buffer.from(JSON.stringify([callback])), contentType: 'application/json', now });
    expect(result).toEqual({ ok: false, error: 'invalid_body', issues: [{ path: '$[0].message.id', message: expect.any(String) }] });
  });

  it('an unknown event type -> unsupported, raw kept, a stable id', async () => {
    const unknown = { type: 'message-expired', time: '2026-11-23T10:00:00.000Z', to: '+15559990000', message: outbound };
    const [event] = await normalize([unknown]);
    expect(event).toMatchObject({ kind: 'unsupported', id: `${outbound.id}:message-expired`, rawType: 'message-expired', raw: unknown });
    const bare = { type: 'something-new', detail: 1 };
    const [first] = await normalize([bare]);
    const [again] = await normalize([bare]);
    expect(first).toMatchObject({ kind: 'unsupported', rawType: 'something-new', raw: bare });
    expect(first?.id).toBe(again?.id);
  });

  it('an empty array is no events', async () => {
    expect(await normalize([])).toEqual([]);
  });
});

describe('Bandwidth callback Basic auth', () => {
  const secrets = { callbackUsername: 'bw-callbacks', callbackPassword: 's3cret:with:colons' };
  const request = (authorization?: string): InboundRequest => ({
    method: 'POST',
    url: 'https://signalbox.example.com/hooks/ch_1',
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
    body: Buffer.from(JSON.stringify([received()])),
  });
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('accepts the configured credentials', () => {
    expect(bandwidthInbound.verify(request(basic(secrets.callbackUsername, secrets.callbackPassword)), secrets)).toEqual({ ok: true });
    expect(bandwidthInbound.verify(request(basic(secrets.callbackUsername, secrets.callbackPassword).replace('Basic', 'basic')), secrets)).toEqual({ ok: true });
  });

  it('rejects a wrong password or user', () => {
    expect(bandwidthInbound.verify(request(basic(secrets.callbackUsername, 'guess')), secrets).ok).toBe(false);
    expect(bandwidthInbound.verify(request(basic('someone', secrets.callbackPassword)), secrets).ok).toBe(false);
  });

  it('rejects a missing header, another scheme, and a channel without credentials', () => {
    expect(bandwidthInbound.verify(request(), secrets)).toMatchObject({ ok: false, reason: expect.stringContaining('missing Authorization') });
    expect(bandwidthInbound.verify(request('Bearer abc'), secrets).ok).toBe(false);
    expect(bandwidthInbound.verify(request(basic('a', 'b')), {}).ok).toBe(false);
  });
});
