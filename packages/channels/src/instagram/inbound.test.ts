import { describe, expect, it } from 'vitest';
import { InboundEvent } from '@signalbox/nodes';
import type { InboundRequest, Normalized } from '../adapter.ts';
import { metaSignature } from '../meta/webhook.ts';
import { fixture } from '../testing/fixtures.ts';
import { instagramInbound } from './inbound.ts';

const now = new Date('2026-11-24T00:00:00Z');
const ACCOUNT = '17841400000000000';
const IGSID = 'Sender-id-1a2b3c4d';
const RECIPIENT = 'chatwoot-app-user-id-1';
const FIXTURE_TIME = '2021-09-08T06:34:04.000Z';
const secrets = { appSecret: 'ig-app-secret', verifyToken: 'ig-verify' };

async function normalize(body: Buffer | string | object): Promise<Normalized> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return instagramInbound.normalize({ body: bytes, contentType: 'application/json', now });
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

function rawItem(path: string): unknown {
  return JSON.parse(fixture(path).toString('utf8')).entry[0].messaging[0];
}

function instagram(...messaging: object[]): object {
  return { object: 'instagram', entry: [{ id: ACCOUNT, time: 1700000000500, messaging }] };
}

function fromCustomer(fields: object, timestamp = 1700000000000): object {
  return { sender: { id: IGSID }, recipient: { id: ACCOUNT }, timestamp, ...fields };
}

function request(body: string, headers: Record<string, string | undefined>, method = 'POST', url = '/hooks/ig-1'): InboundRequest {
  return { method, url, headers, body: Buffer.from(body) };
}

describe('instagram fixtures', () => {
  it('instagram_dm.json: a customer text with its ISO timestamp', async () => {
    const event = only(await eventsOf(fixture('instagram/instagram_dm.json')));
    expect(event).toMatchObject({
      kind: 'message',
      channelType: 'instagram',
      id: 'message-id-1',
      messageId: 'message-id-1',
      thread: { id: IGSID, kind: 'direct' },
      from: { id: IGSID },
      to: { id: RECIPIENT },
      content: { type: 'text', text: 'This is the first message from the customer' },
      echo: false,
      timestamp: FIXTURE_TIME,
    });
    expect(event.raw).toEqual(rawItem('instagram/instagram_dm.json'));
  });

  it('instagram_reply_to_message.json: a reply keeps the mid it answers', async () => {
    const event = only(await eventsOf(fixture('instagram/instagram_reply_to_message.json')));
    expect(event).toMatchObject({ kind: 'message', messageId: 'message-id-2', replyTo: 'message-id-1', content: { type: 'text', text: 'This is message with replyto mid' } });
  });

  it('instagram_story_reply.json: a reply to a story is marked story:<id>', async () => {
    const event = only(await eventsOf(fixture('instagram/instagram_story_reply.json')));
    expect(event).toMatchObject({ kind: 'message', replyTo: `story:${RECIPIENT}`, content: { type: 'text', text: 'This is the story reply' }, from: { id: IGSID } });
  });

  it('instagram_seen.json: messaging_seen names its mid, so it is a read status', async () => {
    const event = only(await eventsOf(fixture('instagram/instagram_seen.json')));
    expect(event).toMatchObject({ kind: 'status', id: 'message-id-1:read', messageId: 'message-id-1', status: 'read', thread: { id: IGSID }, timestamp: FIXTURE_TIME });
  });

  it('instagram_shared_reel.json: a shared reel is a video with its reel id and title', async () => {
    const event = only(await eventsOf(fixture('instagram/instagram_shared_reel.json')));
    expect(event).toMatchObject({
      kind: 'message',
      messageId: 'message-id-1',
      content: { type: 'video', url: 'https://www.example.com/test.jpeg', mediaId: '1234', caption: 'Reel title' },
    });
  });

  it('instagram_unsend.json: an unsend is a delete of that mid', async () => {
    const event = only(await eventsOf(fixture('instagram/instagram_unsend.json')));
    expect(event).toMatchObject({ kind: 'delete', id: 'message-id-to-delete:delete', messageId: 'message-id-to-delete', from: { id: IGSID }, thread: { id: IGSID } });
  });

  it('instagram_unsupported.json: a message Instagram cannot show keeps its id with unsupported content', async () => {
    const event = only(await eventsOf(fixture('instagram/instagram_unsupported.json')));
    expect(event).toMatchObject({ kind: 'message', messageId: 'unsupported-message-id-1', content: { type: 'unsupported', rawType: 'is_unsupported' } });
    expect(event.raw).toEqual(rawItem('instagram/instagram_unsupported.json'));
  });
});

describe('instagram messaging items', () => {
  it('marks an echo of the account\'s own message, from the account, in the customer\'s thread', async () => {
    const echo = { sender: { id: ACCOUNT }, recipient: { id: IGSID }, timestamp: 1700000000000, message: { mid: 'ig_echo', is_echo: true, text: 'We ship tomorrow' } };
    const event = only(await eventsOf(instagram(echo)));
    expect(event).toMatchObject({ kind: 'message', echo: true, from: { id: ACCOUNT }, thread: { id: IGSID }, to: { id: IGSID } });
  });

  it('keeps a story mention and a shared post as unsupported content named after the attachment', async () => {
    const mention = { mid: 'ig_mention', attachments: [{ type: 'story_mention', payload: { url: 'https://lookaside.example/story' } }] };
    const share = {
      mid: 'ig_share',
      attachments: [
        { type: 'share', payload: { url: 'https://lookaside.example/post', title: 'New drop', ig_post_media_id: '181394' } },
        { type: 'ig_post', payload: { url: 'https://lookaside.example/post', title: 'New drop', ig_post_media_id: '181394' } },
      ],
    };
    const [story, post] = await eventsOf(instagram(fromCustomer({ message: mention }), fromCustomer({ message: share })));
    expect(story).toMatchObject({ kind: 'message', messageId: 'ig_mention', content: { type: 'unsupported', rawType: 'story_mention' } });
    expect(post).toMatchObject({ kind: 'message', messageId: 'ig_share', content: { type: 'unsupported', rawType: 'share' } });
  });

  it('reads a quick reply tap as an interactive choice', async () => {
    const event = only(await eventsOf(instagram(fromCustomer({ message: { mid: 'ig_qr', text: 'Size M', quick_reply: { payload: 'SIZE_M' } } }))));
    expect(event).toMatchObject({ content: { type: 'interactive', id: 'SIZE_M', title: 'Size M', kind: 'button' } });
  });

  it('reads a button postback and an ig.me referral', async () => {
    const [postback, referral] = await eventsOf(
      instagram(
        fromCustomer({ postback: { mid: 'ig_pb', title: 'Talk to a person', payload: 'AGENT' } }, 1700000000001),
        fromCustomer({ referral: { ref: 'bio-link', source: 'IGME-SOURCE-LINK', type: 'OPEN_THREAD' } }, 1700000000002),
      ),
    );
    expect(postback).toMatchObject({ kind: 'message', messageId: 'ig_pb', content: { type: 'postback', payload: 'AGENT', title: 'Talk to a person' } });
    expect(referral).toMatchObject({ kind: 'message', content: { type: 'unsupported', rawType: 'referral' }, referral: { source: 'IGME-SOURCE-LINK', ref: 'bio-link' } });
  });

  it('reads a reaction with its emoji', async () => {
    const event = only(await eventsOf(instagram(fromCustomer({ reaction: { mid: 'ig_m', action: 'react', reaction: 'love', emoji: '❤' } }))));
    expect(event).toMatchObject({ kind: 'reaction', messageId: 'ig_m', emoji: '❤', removed: false });
  });

  it('keeps comment and mention change notifications as unsupported with the field name', async () => {
    const body = {
      object: 'instagram',
      entry: [{ id: ACCOUNT, time: 1700000000, changes: [{ field: 'comments', value: { id: 'c1', from: { id: 'u9', username: 'ana' }, text: 'Nice!' } }] }],
    };
    const event = only(await eventsOf(body));
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'comments', from: { id: 'u9', username: 'ana' }, thread: { id: 'u9' } });
  });

  it('keeps an unknown messaging item as unsupported with its raw payload', async () => {
    const item = fromCustomer({ message_reactions_v9: { mid: 'x' } });
    const event = only(await eventsOf(instagram(item)));
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'message_reactions_v9' });
    expect(event.raw).toEqual(item);
  });
});

describe('instagram bodies that are not Instagram webhooks', () => {
  it('refuses a body that is not JSON', async () => {
    expect(await normalize('not json')).toMatchObject({ ok: false, error: 'malformed_body' });
  });

  it('names the object field when a Page body reaches an Instagram channel', async () => {
    const result = await normalize({ object: 'page', entry: [] });
    expect(result.ok === false && result.error).toBe('invalid_body');
    expect(result.ok === false && result.issues.map((i) => i.path)).toEqual(['$.object']);
  });

  it('names the entry field when entry is not a list', async () => {
    const result = await normalize({ object: 'instagram', entry: { id: ACCOUNT } });
    expect(result.ok === false && result.issues[0]?.path).toBe('$.entry');
  });
});

describe('instagram webhook security', () => {
  const body = fixture('instagram/instagram_dm.json').toString('utf8');

  it('accepts a valid signature and refuses a tampered body, a wrong secret and a missing header', () => {
    const header = metaSignature(Buffer.from(body), secrets.appSecret);
    expect(instagramInbound.verify(request(body, { 'x-hub-signature-256': header }), secrets)).toEqual({ ok: true });
    expect(instagramInbound.verify(request(`${body} `, { 'x-hub-signature-256': header }), secrets).ok).toBe(false);
    expect(instagramInbound.verify(request(body, { 'x-hub-signature-256': metaSignature(Buffer.from(body), 'nope') }), secrets).ok).toBe(false);
    expect(instagramInbound.verify(request(body, {}), secrets).ok).toBe(false);
  });

  it('answers the handshake with the right verify token and refuses a wrong one', () => {
    const good = '/hooks/ig-1?hub.mode=subscribe&hub.verify_token=ig-verify&hub.challenge=42';
    const bad = '/hooks/ig-1?hub.mode=subscribe&hub.verify_token=ig-wrong&hub.challenge=42';
    expect(instagramInbound.handshake?.(request('', {}, 'GET', good), secrets)).toMatchObject({ status: 200, body: '42' });
    expect(instagramInbound.handshake?.(request('', {}, 'GET', bad), secrets)?.status).toBe(403);
  });
});
