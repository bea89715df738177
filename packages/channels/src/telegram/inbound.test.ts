import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InboundEvent } from '@signalbox/nodes';
import { epochToIso, type InboundRequest } from '../adapter.ts';
import { fixture, FIXTURES_DIR } from '../testing/fixtures.ts';
import { TELEGRAM_SECRET_HEADER, telegramInbound } from './inbound.ts';

const NOW = new Date('2026-11-24T00:00:00Z');
const SECRETS = { botToken: '123456:TEST-token', secretToken: 'S3cret_token-for-tests' };

interface Json {
  [key: string]: Json | Json[] | string | number | boolean | null;
}

function fixtureJson(name: string): Json {
  return JSON.parse(fixture(`telegram/${name}`).toString('utf8')) as Json;
}

async function eventsOf(body: Buffer | string | object): Promise<InboundEvent[]> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const result = await telegramInbound.normalize({ body: bytes, contentType: 'application/json', now: NOW });
  if (!result.ok) throw new Error(`${result.error}: ${JSON.stringify(result.issues)}`);
  return result.events;
}

async function onlyEvent(body: Buffer | string | object): Promise<InboundEvent> {
  const events = await eventsOf(body);
  expect(events).toHaveLength(1);
  return events[0]!;
}

async function fixtureEvent(name: string): Promise<InboundEvent> {
  return onlyEvent(fixture(`telegram/${name}`));
}

function messageOf(event: InboundEvent) {
  if (event.kind !== 'message') throw new Error(`expected a message, got ${event.kind}`);
  return event;
}

/** The `message` object of a fixture, with the fields the assertions read. */
function fixtureMessage(name: string, field = 'message') {
  const message = fixtureJson(name)[field] as Json;
  const from = message.from as Json;
  const chat = message.chat as Json;
  return { message, from, chat, date: message.date as number, messageId: message.message_id as number };
}

const TESTED_FIXTURES = new Set<string>();
function fixtureTest(name: string, body: () => Promise<void>) {
  TESTED_FIXTURES.add(name);
  it(name, body);
}

describe('telegram fixtures', () => {
  fixtureTest('telegram_text.json', async () => {
    const json = fixtureJson('telegram_text.json');
    const { message, from, chat, date, messageId } = fixtureMessage('telegram_text.json');
    const event = messageOf(await fixtureEvent('telegram_text.json'));
    expect(event.id).toBe(String(json.update_id));
    expect(event.channelType).toBe('telegram');
    expect(event.content).toEqual({ type: 'text', text: message.text });
    expect(event.from).toEqual({ id: String(from.id), name: `${String(from.first_name)} ${String(from.last_name)}`, username: from.username, locale: from.language_code });
    expect(event.locale).toBe(from.language_code);
    expect(event.thread).toEqual({ id: String(chat.id), kind: 'direct' });
    expect(event.messageId).toBe(`${String(chat.id)}:${messageId}`);
    expect(event.timestamp).toBe(epochToIso(date, NOW));
    expect(event.echo).toBe(false);
    expect(event.replyTo).toBeUndefined();
    expect(event.raw).toEqual(json);
  });

  fixtureTest('telegram_photo.json', async () => {
    const { message } = fixtureMessage('telegram_photo.json');
    const sizes = message.photo as Json[];
    const event = messageOf(await fixtureEvent('telegram_photo.json'));
    expect(event.content).toMatchObject({ type: 'image', mediaId: sizes.at(-1)!.file_id, size: sizes.at(-1)!.file_size });
    expect(event.content).not.toHaveProperty('caption', expect.anything());
  });

  fixtureTest('telegram_voice.json', async () => {
    const voice = fixtureMessage('telegram_voice.json').message.voice as Json;
    const event = messageOf(await fixtureEvent('telegram_voice.json'));
    expect(event.content).toMatchObject({ type: 'audio', voice: true, mediaId: voice.file_id, mimeType: voice.mime_type, size: voice.file_size });
  });

  fixtureTest('telegram_document.json', async () => {
    const document = fixtureMessage('telegram_document.json').message.document as Json;
    const event = messageOf(await fixtureEvent('telegram_document.json'));
    expect(event.content).toMatchObject({ type: 'file', mediaId: document.file_id, name: document.file_name, mimeType: document.mime_type, size: document.file_size });
  });

  fixtureTest('telegram_sticker.json', async () => {
    const sticker = fixtureMessage('telegram_sticker.json').message.sticker as Json;
    const event = messageOf(await fixtureEvent('telegram_sticker.json'));
    expect(event.content).toEqual({
      type: 'sticker',
      mediaId: sticker.file_id,
      // is_animated (sent as 1 here): a .tgs animation
      mimeType: 'application/x-tgsticker',
      size: sticker.file_size,
      packageId: sticker.set_name,
      stickerId: sticker.file_unique_id,
      caption: sticker.emoji,
    });
  });

  fixtureTest('telegram_group_message.json', async () => {
    const { message, from, chat } = fixtureMessage('telegram_group_message.json');
    const event = messageOf(await fixtureEvent('telegram_group_message.json'));
    expect(chat.type).toBe('group');
    expect(event.thread).toEqual({ id: String(chat.id), kind: 'group', title: undefined });
    expect(event.from.id).toBe(String(from.id));
    expect(event.content).toEqual({ type: 'text', text: message.text });
  });

  fixtureTest('telegram_reply_to_message.json', async () => {
    const { message, chat, messageId } = fixtureMessage('telegram_reply_to_message.json');
    const replied = message.reply_to_message as Json;
    const event = messageOf(await fixtureEvent('telegram_reply_to_message.json'));
    expect(event.messageId).toBe(`${String(chat.id)}:${messageId}`);
    expect(event.replyTo).toBe(`${String(chat.id)}:${String(replied.message_id)}`);
    expect(event.content).toEqual({ type: 'text', text: message.text });
    // The quoted message is the bot's; the event is still the customer's.
    expect(event.from.id).toBe(String((message.from as Json).id));
  });

  fixtureTest('telegram_edited_message.json', async () => {
    const json = fixtureJson('telegram_edited_message.json');
    const { message, from, chat, messageId } = fixtureMessage('telegram_edited_message.json', 'edited_message');
    const event = await fixtureEvent('telegram_edited_message.json');
    if (event.kind !== 'edit') throw new Error(`expected an edit, got ${event.kind}`);
    expect(event.id).toBe(String(json.update_id));
    expect(event.messageId).toBe(`${String(chat.id)}:${messageId}`);
    expect(event.content).toEqual({ type: 'text', text: message.text });
    expect(event.from).toMatchObject({ id: String(from.id), username: from.username });
    expect(event.timestamp).toBe(epochToIso(message.edit_date, NOW));
    expect(event.thread).toEqual({ id: String(chat.id), kind: 'direct' });
  });

  fixtureTest('telegram_callback_query.json', async () => {
    const json = fixtureJson('telegram_callback_query.json');
    const query = json.callback_query as Json;
    const pressed = query.message as Json;
    const chat = pressed.chat as Json;
    const event = messageOf(await fixtureEvent('telegram_callback_query.json'));
    expect(event.id).toBe(String(json.update_id));
    // No keyboard in the query's message (an inaccessible one, date 0): the label falls back to the data.
    expect(event.content).toEqual({ type: 'interactive', id: query.data, title: query.data, kind: 'button' });
    expect(event.from).toMatchObject({ id: String((query.from as Json).id), name: (query.from as Json).first_name });
    expect(event.thread).toEqual({ id: String(chat.id), kind: 'direct' });
    expect(event.messageId).toBe(`callback:${String(query.id)}`);
    expect(event.replyTo).toBe(`${String(chat.id)}:${String(pressed.message_id)}`);
    expect(event.timestamp).toBe(NOW.toISOString());
  });

  it('covers every fixture of the folder', () => {
    const files = readdirSync(join(FIXTURES_DIR, 'telegram')).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    expect([...TESTED_FIXTURES].sort()).toEqual(files.sort());
  });
});

const chatPrivate = { id: 42, type: 'private', first_name: 'Ana' };
const ana = { id: 42, is_bot: false, first_name: 'Ana', language_code: 'es' };
const group = { id: -1001234567890, type: 'supergroup', title: 'Acme buyers' };

function update(field: string, payload: object, updateId = 900) {
  return { update_id: updateId, [field]: payload };
}

function message(fields: object, chat: object = chatPrivate) {
  return update('message', { message_id: 7, date: 1700000000, chat, from: ana, ...fields });
}

describe('telegram message contents', () => {
  it('keeps the largest photo size and the caption', async () => {
    const photo = [
      { file_id: 'small', width: 90, height: 67, file_size: 1000 },
      { file_id: 'large', width: 1280, height: 960, file_size: 90000 },
      { file_id: 'medium', width: 320, height: 240, file_size: 9000 },
    ];
    const event = messageOf(await onlyEvent(message({ photo, caption: ' look ' })));
    expect(event.content).toEqual({ type: 'image', mediaId: 'large', size: 90000, caption: ' look ', mimeType: undefined, name: undefined });
  });

  it.each([
    ['audio', { audio: { file_id: 'a1', mime_type: 'audio/mpeg', file_name: 'song.mp3' } }, { type: 'audio', mediaId: 'a1', mimeType: 'audio/mpeg', name: 'song.mp3' }],
    ['video', { video: { file_id: 'v1', mime_type: 'video/mp4' }, caption: 'clip' }, { type: 'video', mediaId: 'v1', mimeType: 'video/mp4', caption: 'clip' }],
    ['video_note', { video_note: { file_id: 'n1', length: 240 } }, { type: 'video', mediaId: 'n1' }],
    ['animation (also sent as a document)', { animation: { file_id: 'g1', mime_type: 'video/mp4' }, document: { file_id: 'g1', mime_type: 'video/mp4' } }, { type: 'video', mediaId: 'g1' }],
    ['location', { location: { latitude: 40.4, longitude: -3.7 } }, { type: 'location', latitude: 40.4, longitude: -3.7 }],
    [
      'venue',
      { venue: { location: { latitude: 1.5, longitude: 2.5 }, title: 'Acme store', address: 'Main St 1' }, location: { latitude: 1.5, longitude: 2.5 } },
      { type: 'location', latitude: 1.5, longitude: 2.5, name: 'Acme store', address: 'Main St 1' },
    ],
    [
      'contact',
      { contact: { phone_number: '+34600000000', first_name: 'Luis', last_name: 'Gil', vcard: 'BEGIN:VCARD\nEMAIL;TYPE=INTERNET:luis@example.com\nEND:VCARD' } },
      { type: 'contacts', contacts: [{ name: 'Luis Gil', phones: ['+34600000000'], emails: ['luis@example.com'] }] },
    ],
    ['video sticker', { sticker: { file_id: 's1', file_unique_id: 'u1', is_video: true, emoji: '🎉' } }, { type: 'sticker', mediaId: 's1', mimeType: 'video/webm', caption: '🎉' }],
    ['poll (no meaning here)', { poll: { id: 'p', question: 'Which?' } }, { type: 'unsupported', rawType: 'poll' }],
  ])('%s', async (_name, fields, content) => {
    const event = messageOf(await onlyEvent(message(fields)));
    expect(event.content).toMatchObject(content);
  });

  it('marks forwarded messages', async () => {
    const event = messageOf(await onlyEvent(message({ text: 'fwd', forward_origin: { type: 'user', date: 1, sender_user: ana } })));
    expect(event.forwarded).toBe(true);
  });
});

describe('telegram senders and threads', () => {
  it('a supergroup message: the group is the thread (with its title), the member is the sender', async () => {
    const event = messageOf(await onlyEvent(message({ text: 'hi all' }, group)));
    expect(event.thread).toEqual({ id: String(group.id), kind: 'group', title: group.title });
    expect(event.from.id).toBe(String(ana.id));
    expect(event.messageId).toBe(`${group.id}:7`);
  });

  it('an anonymous admin writes as the group (from is @GroupAnonymousBot), and it is still a message', async () => {
    const anonymousBot = { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' };
    const event = messageOf(await onlyEvent(update('message', { message_id: 8, date: 1700000000, chat: group, from: anonymousBot, sender_chat: group, text: 'Admin here' })));
    expect(event.echo).toBe(false);
    expect(event.from).toEqual({ id: String(group.id), name: group.title, username: undefined });
  });

  it('a message from a bot account in a group is a message, not an echo', async () => {
    const otherBot = { id: 555, is_bot: true, first_name: 'Helper', username: 'helper_bot' };
    const event = messageOf(await onlyEvent(update('message', { message_id: 9, date: 1700000000, chat: group, from: otherBot, text: 'beep' })));
    expect(event.echo).toBe(false);
    expect(event.from).toMatchObject({ id: '555', username: 'helper_bot' });
  });

  it('a channel post: the channel is the thread and the sender', async () => {
    const channel = { id: -1009876543210, type: 'channel', title: 'Acme news' };
    const event = messageOf(await onlyEvent(update('channel_post', { message_id: 3, date: 1700000000, chat: channel, sender_chat: channel, text: 'Sale!' })));
    expect(event.thread).toEqual({ id: String(channel.id), kind: 'group', title: channel.title });
    expect(event.from).toMatchObject({ id: String(channel.id), name: channel.title });
    expect(event.content).toEqual({ type: 'text', text: 'Sale!' });
  });

  it('an edited channel post is an edit', async () => {
    const channel = { id: -1009876543210, type: 'channel', title: 'Acme news' };
    const event = await onlyEvent(update('edited_channel_post', { message_id: 3, date: 1700000000, edit_date: 1700000100, chat: channel, sender_chat: channel, text: 'Sale ends today!' }));
    expect(event).toMatchObject({ kind: 'edit', messageId: `${channel.id}:3`, timestamp: epochToIso(1700000100, NOW), content: { type: 'text', text: 'Sale ends today!' } });
  });
});

describe('telegram button presses', () => {
  it('takes the title from the pressed button of the message keyboard', async () => {
    const keyboard = { inline_keyboard: [[{ text: 'Track my order', callback_data: 'track' }], [{ text: 'Talk to a person', callback_data: 'agent' }]] };
    const query = { id: 'q1', from: ana, chat_instance: 'ci', data: 'agent', message: { message_id: 55, date: 1700000000, chat: group, text: 'How can we help?', reply_markup: keyboard } };
    const event = messageOf(await onlyEvent(update('callback_query', query)));
    expect(event.content).toEqual({ type: 'interactive', id: 'agent', title: 'Talk to a person', kind: 'button' });
    expect(event.thread).toMatchObject({ id: String(group.id), kind: 'group' });
    expect(event.replyTo).toBe(`${group.id}:55`);
    expect(event.from.id).toBe(String(ana.id));
  });

  it('a press on a message sent in inline mode has no chat: the presser is the thread', async () => {
    const event = messageOf(await onlyEvent(update('callback_query', { id: 'q2', from: ana, inline_message_id: 'im', chat_instance: 'ci', data: 'x' })));
    expect(event.thread).toEqual({ id: String(ana.id), kind: 'direct' });
    expect(event.replyTo).toBeUndefined();
  });

  it('a game button (no data) is unsupported content', async () => {
    const event = messageOf(await onlyEvent(update('callback_query', { id: 'q3', from: ana, chat_instance: 'ci', game_short_name: 'g' })));
    expect(event.content).toEqual({ type: 'unsupported', rawType: 'callback_game' });
  });
});

describe('telegram reactions', () => {
  const base = { chat: chatPrivate, message_id: 12, user: ana, date: 1700000200 };

  it('a reaction added', async () => {
    const event = await onlyEvent(update('message_reaction', { ...base, old_reaction: [], new_reaction: [{ type: 'emoji', emoji: '👍' }] }));
    expect(event).toMatchObject({ kind: 'reaction', id: '900', messageId: '42:12', emoji: '👍', removed: false, from: { id: '42' }, timestamp: epochToIso(1700000200, NOW) });
  });

  it('a reaction changed: the new one counts', async () => {
    const event = await onlyEvent(update('message_reaction', { ...base, old_reaction: [{ type: 'emoji', emoji: '👍' }], new_reaction: [{ type: 'emoji', emoji: '❤' }] }));
    expect(event).toMatchObject({ kind: 'reaction', emoji: '❤', removed: false });
  });

  it('a reaction taken back: the new list is empty', async () => {
    const event = await onlyEvent(update('message_reaction', { ...base, old_reaction: [{ type: 'emoji', emoji: '👍' }], new_reaction: [] }));
    expect(event).toMatchObject({ kind: 'reaction', emoji: '👍', removed: true });
  });

  it('one of two reactions taken back: that one, removed', async () => {
    const event = await onlyEvent(update('message_reaction', { ...base, old_reaction: [{ type: 'emoji', emoji: '👍' }, { type: 'emoji', emoji: '🔥' }], new_reaction: [{ type: 'emoji', emoji: '👍' }] }));
    expect(event).toMatchObject({ kind: 'reaction', emoji: '🔥', removed: true });
  });

  it('a custom emoji reaction by an anonymous admin', async () => {
    const event = await onlyEvent(update('message_reaction', { chat: group, message_id: 3, actor_chat: group, date: 1700000200, old_reaction: [], new_reaction: [{ type: 'custom_emoji', custom_emoji_id: '5368324170671202286' }] }));
    expect(event).toMatchObject({ kind: 'reaction', emoji: 'custom_emoji:5368324170671202286', from: { id: String(group.id) }, thread: { kind: 'group' } });
  });
});

describe('telegram updates without a meaning here', () => {
  it('a service message (someone joined) is unsupported, with its chat and raw update', async () => {
    const body = message({ new_chat_members: [{ id: 77, is_bot: false, first_name: 'Neo' }] }, group);
    const event = await onlyEvent(body);
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'new_chat_members', thread: { id: String(group.id), kind: 'group' } });
    expect(event.raw).toEqual(body);
  });

  it('my_chat_member (the bot was blocked) is unsupported and names who did it', async () => {
    const body = update('my_chat_member', { chat: chatPrivate, from: ana, date: 1700000300, old_chat_member: { status: 'member' }, new_chat_member: { status: 'kicked' } });
    const event = await onlyEvent(body);
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'my_chat_member', from: { id: '42' }, thread: { id: '42' }, timestamp: epochToIso(1700000300, NOW) });
    expect(event.raw).toEqual(body);
  });

  it('chat_member is unsupported', async () => {
    const event = await onlyEvent(update('chat_member', { chat: group, from: ana, date: 1, old_chat_member: {}, new_chat_member: {} }));
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'chat_member' });
  });

  it('an update type Telegram adds later is unsupported and keeps its payload', async () => {
    const body = update('future_thing', { anything: [1, 2, 3] });
    const event = await onlyEvent(body);
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'future_thing', thread: { id: 'bot' } });
    expect(event.raw).toEqual(body);
  });

  it('an update with nothing but its id is unsupported', async () => {
    expect(await onlyEvent({ update_id: 5 })).toMatchObject({ kind: 'unsupported', rawType: 'empty_update' });
  });
});

describe('telegram bodies that are not updates', () => {
  it('not JSON -> malformed_body', async () => {
    const result = await telegramInbound.normalize({ body: Buffer.from('update_id=1'), now: NOW });
    expect(result).toMatchObject({ ok: false, error: 'malformed_body' });
  });

  it.each([
    ['an array', [], '$'],
    ['no update_id', { message: { message_id: 1 } }, '$.update_id'],
    ['a message without its chat', { update_id: 1, message: { message_id: 1, date: 1 } }, '$.message.chat'],
    ['a callback query without its presser', { update_id: 1, callback_query: { id: 'q' } }, '$.callback_query.from'],
  ])('%s -> invalid_body naming the field', async (_name, body, path) => {
    const result = await telegramInbound.normalize({ body: Buffer.from(JSON.stringify(body)), now: NOW });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error).toBe('invalid_body');
    expect(result.issues.map((issue) => issue.path)).toContain(path);
  });

  it.each(['null', '"text"', '42', '{"update_id":"1"}', '{"update_id":1,"message":null}'])('never throws on %s', async (body) => {
    await expect(telegramInbound.normalize({ body: Buffer.from(body), now: NOW })).resolves.toMatchObject({ ok: false });
  });
});

describe('telegram webhook secret token', () => {
  const body = fixture('telegram/telegram_text.json');
  const request = (headers: Record<string, string | undefined>, payload: Buffer = body): InboundRequest => ({ method: 'POST', url: 'https://hooks.example.com/hooks/ch-1', headers, body: payload });

  it('accepts the channel secret token', () => {
    expect(telegramInbound.verify(request({ [TELEGRAM_SECRET_HEADER]: SECRETS.secretToken }), SECRETS)).toEqual({ ok: true });
  });

  it('refuses a wrong token, one of another length, and a missing header', () => {
    expect(telegramInbound.verify(request({ [TELEGRAM_SECRET_HEADER]: 'S3cret_token-for-testz' }), SECRETS)).toMatchObject({ ok: false });
    expect(telegramInbound.verify(request({ [TELEGRAM_SECRET_HEADER]: 'short' }), SECRETS)).toMatchObject({ ok: false });
    expect(telegramInbound.verify(request({}), SECRETS)).toMatchObject({ ok: false, reason: expect.stringContaining('missing') });
  });

  it('refuses everything when the channel has no secret token', () => {
    expect(telegramInbound.verify(request({ [TELEGRAM_SECRET_HEADER]: '' }), { botToken: SECRETS.botToken })).toMatchObject({ ok: false });
  });

  it('the token authenticates the caller, not the body: Telegram signs nothing, so an altered body with the right token passes', () => {
    const altered = Buffer.from(body.toString('utf8').replace('"test"', '"tampered"'));
    expect(telegramInbound.verify(request({ [TELEGRAM_SECRET_HEADER]: SECRETS.secretToken }, altered), SECRETS)).toEqual({ ok: true });
  });

  it('has no handshake', () => {
    expect(telegramInbound.handshake).toBeUndefined();
  });
});
