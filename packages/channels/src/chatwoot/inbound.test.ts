import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { InboundEvent } from '@signalbox/nodes';
import type { InboundRequest, Normalized } from '../adapter.ts';
import { fixture } from '../testing/fixtures.ts';
import { chatwootInbound, chatwootSignature } from './inbound.ts';

const now = new Date('2026-11-24T00:00:00Z');

async function normalize(body: Buffer | string): Promise<Normalized> {
  return chatwootInbound.normalize({ body: Buffer.isBuffer(body) ? body : Buffer.from(body), contentType: 'application/json', now });
}

async function single(body: Buffer | string | object): Promise<InboundEvent> {
  const result = await normalize(typeof body === 'object' && !Buffer.isBuffer(body) ? JSON.stringify(body) : body);
  if (!result.ok) throw new Error(`${result.error}: ${JSON.stringify(result.issues)}`);
  expect(result.events).toHaveLength(1);
  return result.events[0]!;
}

/** The message_created fixture, as an object to derive other deliveries from. */
function messageCreated(): Record<string, unknown> {
  return JSON.parse(fixture('chatwoot-outbound/chatwoot_outbound_message_created.json').toString('utf8')) as Record<string, unknown>;
}

describe('chatwoot fixtures', () => {
  it('chatwoot_outbound_message_created.json: an incoming message from the contact, threaded by account and conversation', async () => {
    const event = await single(fixture('chatwoot-outbound/chatwoot_outbound_message_created.json'));
    expect(event).toMatchObject({
      kind: 'message',
      id: 'message_created:118',
      messageId: '118',
      channelType: 'chatwoot',
      timestamp: '2021-07-23T18:02:48.000Z',
      thread: { id: '1:10', kind: 'direct' },
      from: { id: '14', name: 'little-haze-776' },
      to: { id: '1', name: 'Acme Support' },
      content: { type: 'text', text: 'hi' },
      echo: false,
    });
    expect(event.kind === 'message' && event.replyTo).toBeFalsy();
    expect(event.raw).toEqual(messageCreated());
  });

  it('chatwoot_outbound_conversation_status_changed.json: unsupported, in the conversation\'s thread, with its contact', async () => {
    const event = await single(fixture('chatwoot-outbound/chatwoot_outbound_conversation_status_changed.json'));
    expect(event).toMatchObject({
      kind: 'unsupported',
      rawType: 'conversation_status_changed',
      thread: { id: '1:10' },
      from: { id: '12', name: 'jane', email: 'jane@acme.inc' },
      // "timestamp": 1627063369
      timestamp: '2021-07-23T18:02:49.000Z',
    });
    expect(event.id).toMatch(/^conversation_status_changed:1:10:[0-9a-f]{16}$/);
    expect(event.raw).toMatchObject({ status: 'open', event: 'conversation_status_changed' });
  });

  it('chatwoot_outbound_webwidget_triggered.json: unsupported (no message, no conversation yet), keyed to the contact', async () => {
    const event = await single(fixture('chatwoot-outbound/chatwoot_outbound_webwidget_triggered.json'));
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'webwidget_triggered', thread: { id: '1:contact:14' }, from: { id: '14', name: 'little-haze-776' }, timestamp: now.toISOString() });
    expect(event.raw).toMatchObject({ source_id: '405f1d30-1af3-4fa0-8ffd-11ea3f86101e', current_conversation: null });
  });
});

describe('chatwoot messages', () => {
  it('an outgoing message is an echo from the business account, in the customer\'s thread', async () => {
    const event = await single({ ...messageCreated(), message_type: 'outgoing', sender: { id: 1, name: 'John', type: 'user' } });
    expect(event).toMatchObject({ kind: 'message', echo: true, from: { id: '1', name: 'Acme Inc' }, thread: { id: '1:10' }, messageId: '118' });
  });

  it('template messages (bot greetings, CSAT) are echoes too; numeric message types are read as Chatwoot\'s enum', async () => {
    expect(await single({ ...messageCreated(), message_type: 'template' })).toMatchObject({ kind: 'message', echo: true });
    expect(await single({ ...messageCreated(), message_type: 3 })).toMatchObject({ kind: 'message', echo: true });
    expect(await single({ ...messageCreated(), message_type: 0 })).toMatchObject({ kind: 'message', echo: false, from: { id: '14' } });
  });

  it('a private note and an activity line are unsupported, kept whole', async () => {
    const note = await single({ ...messageCreated(), message_type: 'outgoing', private: true, content: 'VIP customer' });
    expect(note).toMatchObject({ kind: 'unsupported', rawType: 'message_created:private_note', id: 'message_created:118' });
    expect(note.raw).toMatchObject({ content: 'VIP customer' });
    expect(await single({ ...messageCreated(), message_type: 'activity', content: 'Assigned to John' })).toMatchObject({ kind: 'unsupported', rawType: 'message_created:activity' });
    expect(await single({ ...messageCreated(), message_type: 9 })).toMatchObject({ kind: 'unsupported', rawType: 'message_created:9' });
  });

  it('reads the answered message from content_attributes.in_reply_to', async () => {
    expect(await single({ ...messageCreated(), content_attributes: { in_reply_to: 117 } })).toMatchObject({ replyTo: '117' });
  });

  it('an attachment is the content, with the text as caption; several fill attachments', async () => {
    const image = { id: 55, message_id: 118, file_type: 'image', account_id: 1, extension: null, data_url: 'https://chat.shop.example/rails/active_storage/blobs/redirect/abc/shirt%20blue.jpg', thumb_url: '', file_size: 2048 };
    const one = await single({ ...messageCreated(), attachments: [image] });
    expect(one).toMatchObject({ content: { type: 'image', url: image.data_url, mediaId: '55', name: 'shirt blue.jpg', size: 2048, caption: 'hi' } });
    expect(one.kind === 'message' && one.attachments).toBeFalsy();
    const two = await single({ ...messageCreated(), content: null, attachments: [image, { ...image, id: 56, file_type: 'audio', data_url: 'https://chat.shop.example/x/voice.ogg' }] });
    expect(two).toMatchObject({ content: { type: 'image', mediaId: '55' }, attachments: [{ type: 'image', mediaId: '55' }, { type: 'audio', mediaId: '56', name: 'voice.ogg' }] });
  });

  it('a shared location is location content', async () => {
    const location = { id: 57, file_type: 'location', coordinates_lat: 52.52, coordinates_long: 13.405, fallback_title: 'Alexanderplatz', data_url: 'https://maps.example/?q=52.52,13.405' };
    expect(await single({ ...messageCreated(), content: null, attachments: [location] })).toMatchObject({ content: { type: 'location', latitude: 52.52, longitude: 13.405, name: 'Alexanderplatz' } });
  });

  it('an incoming message_updated is an edit keyed by its body; a deleted one is a delete', async () => {
    const edited = { ...messageCreated(), event: 'message_updated', content: 'hi, I meant hello' };
    const first = await single(edited);
    expect(first).toMatchObject({ kind: 'edit', messageId: '118', from: { id: '14' }, content: { type: 'text', text: 'hi, I meant hello' }, timestamp: now.toISOString() });
    expect(first.id).toMatch(/^message_updated:118:[0-9a-f]{16}$/);
    expect((await single(edited)).id).toBe(first.id);
    expect((await single({ ...edited, content: 'hello!' })).id).not.toBe(first.id);
    const deleted = await single({ ...edited, content: 'This message was deleted', content_attributes: { deleted: true } });
    expect(deleted).toMatchObject({ kind: 'delete', messageId: '118', from: { id: '14' } });
  });

  it('the customer choosing an option of an input_select is an interactive reply to that message', async () => {
    const options = {
      ...messageCreated(),
      event: 'message_updated',
      id: 130,
      message_type: 'outgoing',
      content: 'Pick a size',
      content_type: 'input_select',
      content_attributes: { items: [{ title: 'Small', value: 'size-s' }, { title: 'Large', value: 'size-l' }], submitted_values: [{ title: 'Large', value: 'size-l' }] },
      sender: { id: 3, name: 'Signalbox', type: 'agent_bot' },
    };
    expect(await single(options)).toMatchObject({
      kind: 'message',
      id: 'message_updated:130:submitted:size-l',
      from: { id: '14', name: 'little-haze-776' },
      content: { type: 'interactive', id: 'size-l', title: 'Large', kind: 'button' },
      replyTo: '130',
      echo: false,
    });
  });

  it('a delivery status on an outgoing message_updated is a status event; other own updates are unsupported', async () => {
    const outgoing = { ...messageCreated(), event: 'message_updated', id: 131, message_type: 'outgoing' };
    expect(await single({ ...outgoing, status: 'read' })).toMatchObject({ kind: 'status', id: 'message_updated:131:read', messageId: '131', status: 'read' });
    expect(await single({ ...outgoing, status: 'failed', content_attributes: { external_error: '131047: Re-engagement message' } })).toMatchObject({
      kind: 'status',
      status: 'failed',
      error: { code: 'external_error', message: '131047: Re-engagement message' },
    });
    expect(await single({ ...outgoing, content: 'edited by an agent' })).toMatchObject({ kind: 'unsupported', rawType: 'message_updated:outgoing' });
  });
});

describe('chatwoot other events', () => {
  it('contact events are unsupported, in the contact\'s thread', async () => {
    const event = await single({ event: 'contact_created', id: 77, name: 'Ana', email: 'ana@example.com', account: { id: 1, name: 'Acme Inc' } });
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'contact_created', thread: { id: '1:contact:77' }, from: { id: '77' } });
  });

  it.each(['conversation_created', 'conversation_updated'])('%s is unsupported in the conversation\'s thread', async (name) => {
    const event = await single({ event: name, id: 10, account: { id: 1 }, meta: { sender: { id: 14, name: 'little-haze-776', type: 'contact' } }, timestamp: 1627063369 });
    expect(event).toMatchObject({ kind: 'unsupported', rawType: name, thread: { id: '1:10' }, from: { id: '14' } });
  });

  it('an event type Chatwoot adds later is unsupported and keeps its whole body', async () => {
    const body = { event: 'conversation_typing_on', conversation: { id: 10, account_id: 1 }, user: { id: 1, name: 'John' }, is_private: false };
    const event = await single(body);
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'conversation_typing_on', thread: { id: '1:10' } });
    const unknown = await single({ event: 'sla_missed', whatever: [1, 2, 3] });
    expect(unknown).toMatchObject({ kind: 'unsupported', rawType: 'sla_missed', reason: expect.stringContaining('sla_missed') });
    expect(unknown.raw).toEqual({ event: 'sla_missed', whatever: [1, 2, 3] });
  });
});

describe('chatwoot robustness', () => {
  it('a body that is not JSON is malformed_body', async () => {
    expect(await normalize('event=message_created')).toMatchObject({ ok: false, error: 'malformed_body' });
  });

  it('JSON without an event is invalid_body naming event', async () => {
    const result = await normalize(JSON.stringify({ id: 1, content: 'hi' }));
    expect(result).toMatchObject({ ok: false, error: 'invalid_body', issues: [{ path: '$.event' }] });
    expect(await normalize('[1,2]')).toMatchObject({ ok: false, error: 'invalid_body' });
  });

  it('a message_created without its conversation is invalid_body naming conversation', async () => {
    const { conversation: _dropped, ...rest } = messageCreated();
    const result = await normalize(JSON.stringify(rest));
    if (result.ok) throw new Error('expected a refusal');
    expect(result.issues.map((i) => i.path)).toContain('$.conversation');
  });
});

describe('chatwoot webhook verification', () => {
  const body = fixture('chatwoot-outbound/chatwoot_outbound_message_created.json');
  const secret = 'whsec-from-chatwoot';
  const timestamp = '1764000000';
  const request = (headers: Record<string, string>, options: { body?: Buffer; url?: string } = {}): InboundRequest => ({
    method: 'POST',
    url: options.url ?? 'https://signalbox.example/hooks/ch-9',
    headers,
    body: options.body ?? body,
  });
  const signed = (overrides: Record<string, string> = {}) => ({ 'x-chatwoot-signature': chatwootSignature(secret, timestamp, body), 'x-chatwoot-timestamp': timestamp, ...overrides });

  it('accepts sha256=HMAC(secret, "<timestamp>.<body>")', () => {
    expect(chatwootSignature('k', '1764000000', Buffer.from('{"event":"x"}'))).toBe(`sha256=${createHmac('sha256', 'k').update('1764000000.{"event":"x"}').digest('hex')}`);
    expect(chatwootInbound.verify(request(signed()), { webhookSecret: secret })).toEqual({ ok: true });
  });

  it('rejects a tampered body, a wrong secret, another timestamp and missing headers', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('"hi"', '"ho"'));
    expect(chatwootInbound.verify(request(signed(), { body: tampered }), { webhookSecret: secret }).ok).toBe(false);
    expect(chatwootInbound.verify(request(signed()), { webhookSecret: 'another-secret' }).ok).toBe(false);
    expect(chatwootInbound.verify(request(signed({ 'x-chatwoot-timestamp': '1764000001' })), { webhookSecret: secret }).ok).toBe(false);
    expect(chatwootInbound.verify(request({}), { webhookSecret: secret })).toEqual({ ok: false, reason: 'no X-Chatwoot-Signature / X-Chatwoot-Timestamp headers' });
    expect(chatwootInbound.verify(request({ 'x-chatwoot-signature': signed()['x-chatwoot-signature'] }), { webhookSecret: secret }).ok).toBe(false);
  });

  it('accepts the URL token for versions that do not sign, and refuses a wrong or missing one', () => {
    const secrets = { webhookToken: 'url-token-0123456789' };
    expect(chatwootInbound.verify(request({}, { url: 'https://signalbox.example/hooks/ch-9?token=url-token-0123456789' }), secrets)).toEqual({ ok: true });
    expect(chatwootInbound.verify(request({}, { url: 'https://signalbox.example/hooks/ch-9?token=url-token-012345678' }), secrets)).toEqual({ ok: false, reason: 'the URL token does not match' });
    expect(chatwootInbound.verify(request({}), secrets)).toEqual({ ok: false, reason: 'no token in the URL' });
  });

  it('refuses everything when the channel has neither secret', () => {
    expect(chatwootInbound.verify(request(signed(), { url: 'https://signalbox.example/hooks/ch-9?token=x' }), {}).ok).toBe(false);
  });
});
