import { describe, expect, it } from 'vitest';
import { InboundEvent } from '@signalbox/nodes';
import type { InboundRequest, Normalized } from '../adapter.ts';
import { metaSignature } from '../meta/webhook.ts';
import { fixture } from '../testing/fixtures.ts';
import { whatsappInbound } from './inbound.ts';

const now = new Date('2026-11-24T00:00:00Z');
const secrets = { appSecret: 'app-secret', verifyToken: 'verify-me' };
const WABA = '102290129340398';
const PHONE_NUMBER_ID = '106540352242922';
const CUSTOMER = '16505551234';

/** A fixture as parsed JSON, to assert against its own values. */
function fixtureJson(name: string) {
  return JSON.parse(fixture(`whatsapp/${name}`).toString('utf8'));
}

/** The first message / status of a Cloud API fixture, as the adapter should keep it in `raw`. */
function firstOf(name: string, key: 'messages' | 'statuses' | 'message_echoes') {
  return fixtureJson(name).entry[0].changes[0].value[key][0];
}

async function normalize(body: Buffer | string | object): Promise<Normalized> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return whatsappInbound.normalize({ body: bytes, contentType: 'application/json', now });
}

async function eventsOf(body: Buffer | object): Promise<InboundEvent[]> {
  const result = await normalize(body);
  if (!result.ok) throw new Error(`${result.error}: ${JSON.stringify(result.issues)}`);
  for (const event of result.events) expect(InboundEvent.safeParse(JSON.parse(JSON.stringify(event))).success).toBe(true);
  return result.events;
}

async function onlyEventOf(body: Buffer | object): Promise<InboundEvent> {
  const events = await eventsOf(body);
  expect(events).toHaveLength(1);
  const [event] = events;
  if (!event) throw new Error('no event');
  return event;
}

const fromFixture = (name: string) => onlyEventOf(fixture(`whatsapp/${name}`));

/** A Cloud API body around one `messages` value. */
function cloud(value: object, field = 'messages'): object {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: WABA, changes: [{ field, value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID }, ...value } }] }],
  };
}

function customerMessage(fields: object): object {
  return cloud({ contacts: [{ profile: { name: 'Ana' }, wa_id: CUSTOMER }], messages: [{ from: CUSTOMER, id: 'wamid.T1', timestamp: '1700000000', ...fields }] });
}

function request(body: string, headers: Record<string, string | undefined>, method = 'POST', url = '/hooks/whatsapp-1'): InboundRequest {
  return { method, url, headers, body: Buffer.from(body) };
}

describe('whatsapp Cloud API fixtures: customer messages', () => {
  it('whatsapp_cloud_text.json: a text from the customer, named from the contact, to the business number', async () => {
    const message = firstOf('whatsapp_cloud_text.json', 'messages');
    const value = fixtureJson('whatsapp_cloud_text.json').entry[0].changes[0].value;
    const event = await fromFixture('whatsapp_cloud_text.json');
    expect(event).toMatchObject({
      kind: 'message',
      channelType: 'whatsapp',
      id: message.id,
      messageId: message.id,
      thread: { id: message.from, kind: 'direct' },
      from: { id: message.from, name: value.contacts[0].profile.name, phone: message.from },
      to: { id: value.metadata.phone_number_id, phone: value.metadata.display_phone_number },
      content: { type: 'text', text: message.text.body },
      echo: false,
      timestamp: new Date(Number(message.timestamp) * 1000).toISOString(),
    });
    expect(event.raw).toEqual(message);
  });

  it('whatsapp_cloud_text_phone_and_bsuid.json: the phone number is the id when both it and the BSUID come', async () => {
    const message = firstOf('whatsapp_cloud_text_phone_and_bsuid.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_text_phone_and_bsuid.json');
    expect(message.from_user_id).toBeDefined();
    expect(event).toMatchObject({ kind: 'message', thread: { id: message.from }, from: { id: message.from, phone: message.from, name: 'Muhsin' }, content: { text: 'phone and bsuid' } });
  });

  it('whatsapp_cloud_text_bsuid_only.json: without a phone number the BSUID is the customer, with the username', async () => {
    const message = firstOf('whatsapp_cloud_text_bsuid_only.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_text_bsuid_only.json');
    expect(event).toMatchObject({
      kind: 'message',
      id: 'wamid.cloud-bsuid-only-message',
      thread: { id: message.from_user_id, kind: 'direct' },
      from: { id: message.from_user_id, name: 'Muhsin', username: 'muhsin' },
      content: { type: 'text', text: 'testing bsuid' },
    });
    expect(event.kind === 'message' && event.from.phone).toBeUndefined();
  });

  it('whatsapp_cloud_reply_with_context.json: context.id is the message replied to', async () => {
    const message = firstOf('whatsapp_cloud_reply_with_context.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_reply_with_context.json');
    expect(event).toMatchObject({ kind: 'message', id: 'wamid.REPLY_MESSAGE_ID', replyTo: message.context.id, content: { type: 'text', text: 'This is a reply' }, from: { name: 'Pranav' } });
    expect(event.kind === 'message' && event.forwarded).toBeUndefined();
  });

  it('whatsapp_cloud_ctwa_ad_referral.json: a click-to-WhatsApp ad keeps its referral', async () => {
    const message = firstOf('whatsapp_cloud_ctwa_ad_referral.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_ctwa_ad_referral.json');
    expect(event).toMatchObject({
      kind: 'message',
      id: message.id,
      content: { type: 'text', text: 'Hello nielekeze' },
      referral: { source: 'ad', adId: message.referral.source_id, url: message.referral.source_url, headline: 'Diana Digital', body: 'washa data tu' },
    });
    // The click id and media of the ad stay in raw.
    expect(event.raw).toMatchObject({ referral: { ctwa_clid: 'AfhcQdP2E4A8wWpeb1FqUzUi', video_url: message.referral.video_url } });
  });

  it('whatsapp_cloud_image_caption.json: an image by media id with its caption; the relay dropped the id, so a content hash stands in', async () => {
    const message = firstOf('whatsapp_cloud_image_caption.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_image_caption.json');
    expect(message.id).toBeUndefined();
    expect(event).toMatchObject({
      kind: 'message',
      content: { type: 'image', mediaId: message.image.id, mimeType: 'image/jpeg', caption: 'Check out my product!' },
      from: { id: '2423423243', name: 'Sojan Jose' },
    });
    expect(event.id).toMatch(/^image:[0-9a-f]{16}$/);
    expect(event.kind === 'message' && event.messageId).toBe(event.id);
  });

  it('whatsapp_cloud_image_media_download_error.json: still an image; the download error stays in raw', async () => {
    const message = firstOf('whatsapp_cloud_image_media_download_error.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_image_media_download_error.json');
    expect(event).toMatchObject({ kind: 'message', content: { type: 'image', mediaId: message.image.id, caption: message.image.caption } });
    expect(event.raw).toMatchObject({ errors: [{ code: 400, title: message.errors[0].title }] });
    // A different body (the errors) gives a different dedupe id than the plain image fixture.
    expect(event.id).not.toBe((await fromFixture('whatsapp_cloud_image_caption.json')).id);
  });

  it('whatsapp_cloud_document_accented_filename.json: a document is a file, its accented name kept exactly', async () => {
    const event = await fromFixture('whatsapp_cloud_document_accented_filename.json');
    expect(event).toMatchObject({
      kind: 'message',
      content: { type: 'file', mediaId: 'b1c68f38-8734-4ad3-b4a1-ef0c10d683', mimeType: 'application/pdf', name: 'Currículum café.pdf', caption: 'My résumé' },
    });
    expect(event.id).toMatch(/^document:/);
  });

  it('whatsapp_cloud_voice_note.json: a voice note is audio with voice: true', async () => {
    const message = firstOf('whatsapp_cloud_voice_note.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_voice_note.json');
    expect(event).toMatchObject({ kind: 'message', content: { type: 'audio', voice: true, mediaId: message.audio.id, mimeType: 'audio/ogg; codecs=opus' } });
  });

  it('whatsapp_cloud_video_forwarded.json: a forwarded video', async () => {
    const message = firstOf('whatsapp_cloud_video_forwarded.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_video_forwarded.json');
    expect(event).toMatchObject({ kind: 'message', forwarded: true, content: { type: 'video', mediaId: message.video.id, mimeType: 'video/mp4', caption: 'caption' } });
    expect(event.kind === 'message' && event.replyTo).toBeUndefined();
  });

  it('whatsapp_cloud_location.json: a forwarded location with name and address', async () => {
    const { location } = firstOf('whatsapp_cloud_location.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_location.json');
    expect(event).toMatchObject({
      kind: 'message',
      forwarded: true,
      content: { type: 'location', latitude: location.latitude, longitude: location.longitude, name: 'Facebook HQ', address: location.address },
    });
  });

  it('whatsapp_cloud_contacts.json: shared vCards become names with their phones', async () => {
    const event = await fromFixture('whatsapp_cloud_contacts.json');
    expect(event).toMatchObject({
      kind: 'message',
      content: {
        type: 'contacts',
        contacts: [
          { name: 'Chandler Bing', phones: ['+1 555-555-5555'], emails: [] },
          { name: 'Monica', phones: ['+1 666-666-6666'], emails: [] },
          { name: 'Rachel Green', phones: ['+1 777-777-7777'], emails: [] },
        ],
      },
    });
  });

  it('whatsapp_cloud_interactive_button_reply.json: a reply button choice, id = payload, title = label', async () => {
    const message = firstOf('whatsapp_cloud_interactive_button_reply.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_interactive_button_reply.json');
    expect(event).toMatchObject({
      kind: 'message',
      content: { type: 'interactive', kind: 'button', id: message.interactive.button_reply.id, title: message.interactive.button_reply.title },
      replyTo: message.context.id,
    });
  });

  it('whatsapp_cloud_interactive_list_reply.json: a list row choice is interactive kind list', async () => {
    const message = firstOf('whatsapp_cloud_interactive_list_reply.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_interactive_list_reply.json');
    expect(event).toMatchObject({ kind: 'message', id: 'wamid.zyzxyz', content: { type: 'interactive', kind: 'list', id: message.interactive.list_reply.id, title: 'title' } });
  });

  it('whatsapp_cloud_template_quick_reply_button.json: a template quick-reply button is an interactive button choice', async () => {
    const message = firstOf('whatsapp_cloud_template_quick_reply_button.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_template_quick_reply_button.json');
    expect(event).toMatchObject({
      kind: 'message',
      id: 'wamid.xsidjw',
      content: { type: 'interactive', kind: 'button', id: message.button.payload, title: message.button.text },
      replyTo: 'wamid.xyzxyz==',
    });
  });

  it('whatsapp_cloud_order.json: a catalog order with its items and (empty) note', async () => {
    const event = await fromFixture('whatsapp_cloud_order.json');
    expect(event).toMatchObject({
      kind: 'message',
      content: {
        type: 'order',
        note: '',
        items: [
          { sku: 'HAMBURGER', quantity: 3, price: 30, currency: 'ILS' },
          { sku: 'FRENCH_FRIES', quantity: 2, price: 35, currency: 'ILS' },
          { sku: 'SODA', quantity: 2, price: 10, currency: 'ILS' },
        ],
      },
    });
  });

  it('whatsapp_cloud_unsupported.json: unsupported content named after what Meta could not pass on, error kept in raw', async () => {
    const message = firstOf('whatsapp_cloud_unsupported.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_unsupported.json');
    expect(event).toMatchObject({ kind: 'message', id: message.id, content: { type: 'unsupported', rawType: message.unsupported.type }, echo: false });
    expect(event.raw).toMatchObject({ errors: [{ code: 131051 }] });
  });

  it('whatsapp_cloud_request_welcome.json: a first chat opening is a message flows can greet on, unsupported content', async () => {
    const message = firstOf('whatsapp_cloud_request_welcome.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_request_welcome.json');
    expect(event).toMatchObject({
      kind: 'message',
      id: `request_welcome:${message.from}:${message.timestamp}`,
      thread: { id: message.from },
      from: { id: message.from },
      content: { type: 'unsupported', rawType: 'request_welcome' },
      echo: false,
    });
  });
});

describe('whatsapp Cloud API fixtures: reactions, edits, deletes, identity', () => {
  it('whatsapp_cloud_reaction.json: a reaction event on the message it names', async () => {
    const message = firstOf('whatsapp_cloud_reaction.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_reaction.json');
    expect(event).toMatchObject({ kind: 'reaction', id: message.id, messageId: message.reaction.message_id, emoji: '😮', removed: false, from: { id: message.from, name: 'Test Name' } });
  });

  it('whatsapp_cloud_message_edited.json: an edit of the original message, with the new image and caption', async () => {
    const message = firstOf('whatsapp_cloud_message_edited.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_message_edited.json');
    expect(event).toMatchObject({
      kind: 'edit',
      id: `${message.edit.original_message_id}:edit:${message.timestamp}`,
      messageId: message.edit.original_message_id,
      from: { id: message.from },
      thread: { id: message.from },
      content: { type: 'image', caption: 'Updated image caption', mediaId: '1234567890', url: 'https://media.example.com/updated-image.jpg' },
    });
  });

  it('whatsapp_cloud_message_revoked.json: a revoke deletes the original message', async () => {
    const message = firstOf('whatsapp_cloud_message_revoked.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_message_revoked.json');
    expect(event).toMatchObject({
      kind: 'delete',
      id: `${message.revoke.original_message_id}:delete`,
      messageId: message.revoke.original_message_id,
      from: { id: message.from },
      thread: { id: message.from },
    });
  });

  it('whatsapp_cloud_system_user_changed_user_id.json: a new BSUID is an identity change on the previous one', async () => {
    const { system, id } = firstOf('whatsapp_cloud_system_user_changed_user_id.json', 'messages');
    const event = await fromFixture('whatsapp_cloud_system_user_changed_user_id.json');
    expect(event).toMatchObject({ kind: 'identity-change', id, from: { id: system.user_id }, previousId: system.previous_user_id, thread: { id: system.previous_user_id } });
  });
});

describe('whatsapp Cloud API fixtures: receipts and echoes', () => {
  it.each(['sent', 'delivered', 'read'])('whatsapp_cloud_status_%s.json: a receipt of the business message, on the recipient thread', async (status) => {
    const name = `whatsapp_cloud_status_${status}.json`;
    const receipt = firstOf(name, 'statuses');
    const event = await fromFixture(name);
    expect(event).toMatchObject({
      kind: 'status',
      id: `${receipt.id}:${status}`,
      messageId: receipt.id,
      status,
      thread: { id: receipt.recipient_id, kind: 'direct' },
      timestamp: new Date(Number(receipt.timestamp) * 1000).toISOString(),
    });
    expect(event.kind === 'status' && event.error).toBeUndefined();
    expect(event.raw).toEqual(receipt);
  });

  it('whatsapp_cloud_status_failed.json: a failure with the error code and title + details', async () => {
    const receipt = firstOf('whatsapp_cloud_status_failed.json', 'statuses');
    const event = await fromFixture('whatsapp_cloud_status_failed.json');
    expect(event).toMatchObject({
      kind: 'status',
      id: 'wamid.xyzxyz:failed',
      status: 'failed',
      error: { code: '130472', message: `${receipt.errors[0].title}: ${receipt.errors[0].error_data.details}` },
    });
  });

  it('whatsapp_cloud_smb_message_echo.json: a message the business sent from the app is an echo on the customer thread', async () => {
    const echo = firstOf('whatsapp_cloud_smb_message_echo.json', 'message_echoes');
    const event = await fromFixture('whatsapp_cloud_smb_message_echo.json');
    expect(event).toMatchObject({
      kind: 'message',
      id: echo.id,
      echo: true,
      from: { id: PHONE_NUMBER_ID, phone: echo.from },
      to: { id: echo.to, phone: echo.to },
      thread: { id: echo.to, kind: 'direct' },
      content: { type: 'text', text: 'echo reply' },
    });
  });
});

describe('whatsapp On-Premises / 360dialog v1 bodies (no envelope)', () => {
  it('whatsapp_360dialog_text.json: the bare value is read like a Cloud API one', async () => {
    const body = fixtureJson('whatsapp_360dialog_text.json');
    const event = await fromFixture('whatsapp_360dialog_text.json');
    expect(event).toMatchObject({
      kind: 'message',
      id: body.messages[0].id,
      thread: { id: body.messages[0].from, kind: 'direct' },
      from: { id: '2423423243', name: 'Sojan Jose' },
      content: { type: 'text', text: 'Test' },
      timestamp: '2021-09-30T20:39:54.000Z',
    });
    // No metadata: the business number is unknown.
    expect(event.kind === 'message' && event.to).toBeUndefined();
  });

  it('whatsapp_360dialog_location.json: a location by the On-Premises shape', async () => {
    const event = await fromFixture('whatsapp_360dialog_location.json');
    expect(event).toMatchObject({ kind: 'message', content: { type: 'location', latitude: 37.7893768, longitude: -122.3895553, name: 'Bay Bridge', address: 'San Francisco, CA, USA' } });
  });
});

describe('whatsapp message types beyond the fixtures', () => {
  it('reads a sticker by media id', async () => {
    const event = await onlyEventOf(customerMessage({ type: 'sticker', sticker: { id: 'st-1', mime_type: 'image/webp', animated: false } }));
    expect(event).toMatchObject({ kind: 'message', content: { type: 'sticker', mediaId: 'st-1', mimeType: 'image/webp' } });
  });

  it('reads an emptied reaction as removed', async () => {
    const event = await onlyEventOf(customerMessage({ type: 'reaction', reaction: { message_id: 'wamid.BIZ', emoji: '' } }));
    expect(event).toMatchObject({ kind: 'reaction', messageId: 'wamid.BIZ', emoji: '', removed: true });
  });

  it('reads a phone number change as an identity change from the old number to the new', async () => {
    const event = await onlyEventOf(
      cloud({ messages: [{ from: CUSTOMER, id: 'wamid.SYS', timestamp: '1700000000', type: 'system', system: { body: 'changed', new_wa_id: '16505550000', type: 'user_changed_number' } }] }),
    );
    expect(event).toMatchObject({ kind: 'identity-change', from: { id: '16505550000', phone: '16505550000' }, previousId: CUSTOMER, thread: { id: CUSTOMER } });
  });

  it('keeps a system message that changes no id as unsupported', async () => {
    const event = await onlyEventOf(cloud({ messages: [{ from: CUSTOMER, id: 'wamid.SYS2', timestamp: '1', type: 'system', system: { type: 'customer_identity_changed' } }] }));
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'system:customer_identity_changed' });
  });

  it('keeps an unknown message type as unsupported content with its raw message', async () => {
    const raw = { from: CUSTOMER, id: 'wamid.NEW', timestamp: '1700000000', type: 'hologram', hologram: { id: 'h1' } };
    const event = await onlyEventOf(cloud({ messages: [raw] }));
    expect(event).toMatchObject({ kind: 'message', id: 'wamid.NEW', content: { type: 'unsupported', rawType: 'hologram' } });
    expect(event.raw).toEqual(raw);
  });

  it('keeps an interactive reply of another kind (a Flow response) as unsupported content named after it', async () => {
    const event = await onlyEventOf(customerMessage({ type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { response_json: '{}' } } }));
    expect(event).toMatchObject({ kind: 'message', content: { type: 'unsupported', rawType: 'nfm_reply' } });
  });

  it('puts a group message on the group thread, from the member who wrote', async () => {
    const event = await onlyEventOf(customerMessage({ group_id: 'G-42', type: 'text', text: { body: 'hi all' } }));
    expect(event).toMatchObject({ kind: 'message', thread: { id: 'G-42', kind: 'group' }, from: { id: CUSTOMER, name: 'Ana' } });
  });

  it('keeps a message without any sender id as unsupported instead of failing the body', async () => {
    const event = await onlyEventOf(cloud({ messages: [{ id: 'wamid.X', timestamp: '1', type: 'text', text: { body: 'who?' } }] }));
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'text', thread: { id: PHONE_NUMBER_ID } });
  });

  it('keeps an unknown receipt status as unsupported, and a group receipt on the group thread', async () => {
    const [deleted, group] = await eventsOf(
      cloud({
        statuses: [
          { id: 'wamid.A', status: 'deleted', timestamp: '1', recipient_id: CUSTOMER },
          { id: 'wamid.B', status: 'read', timestamp: '1', recipient_id: 'G-42', recipient_type: 'group' },
        ],
      }),
    );
    expect(deleted).toMatchObject({ kind: 'unsupported', id: 'wamid.A:deleted', rawType: 'status:deleted', thread: { id: CUSTOMER } });
    expect(group).toMatchObject({ kind: 'status', status: 'read', thread: { id: 'G-42', kind: 'group' } });
  });

  it('reads echoed edits and revokes as the business editing / deleting, and an echoed reaction as unsupported', async () => {
    const base = { from: '15550783881', to: CUSTOMER, timestamp: '1700000000' };
    const [edit, revoke, reaction] = await eventsOf(
      cloud(
        {
          message_echoes: [
            { ...base, id: 'wamid.E1', type: 'edit', edit: { original_message_id: 'wamid.O1', message: { type: 'text', text: { body: 'fixed' } } } },
            { ...base, id: 'wamid.E2', type: 'revoke', revoke: { original_message_id: 'wamid.O2' } },
            { ...base, id: 'wamid.E3', type: 'reaction', reaction: { message_id: 'wamid.C1', emoji: '👍' } },
          ],
        },
        'smb_message_echoes',
      ),
    );
    expect(edit).toMatchObject({ kind: 'edit', messageId: 'wamid.O1', from: { id: PHONE_NUMBER_ID }, thread: { id: CUSTOMER }, content: { type: 'text', text: 'fixed' } });
    expect(revoke).toMatchObject({ kind: 'delete', messageId: 'wamid.O2', from: { id: PHONE_NUMBER_ID }, thread: { id: CUSTOMER } });
    expect(reaction).toMatchObject({ kind: 'unsupported', rawType: 'reaction', thread: { id: CUSTOMER } });
  });

  it('keeps value-level errors (trouble with the number, not a message) as unsupported with the code', async () => {
    const event = await onlyEventOf(cloud({ errors: [{ code: 131056, title: 'Pair rate limit hit', error_data: { details: 'too many' } }] }));
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'errors', thread: { id: PHONE_NUMBER_ID } });
    expect(event.kind === 'unsupported' && event.reason).toContain('131056: Pair rate limit hit: too many');
  });

  it('keeps other webhook fields (template status updates) as unsupported, raw intact', async () => {
    const change = { field: 'message_template_status_update', value: { event: 'APPROVED', message_template_id: 1, message_template_name: 'hello' } };
    const event = await onlyEventOf({ object: 'whatsapp_business_account', entry: [{ id: WABA, time: 1700000000, changes: [change] }] });
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'message_template_status_update', thread: { id: WABA }, timestamp: '2023-11-14T22:13:20.000Z' });
    expect(event.raw).toEqual(change);
    expect(event.id).toMatch(/^message_template_status_update:[0-9a-f]{16}$/);
  });

  it('gives the same ids for the same body, so a redelivered webhook dedupes', async () => {
    const body = fixture('whatsapp/whatsapp_cloud_document_accented_filename.json');
    expect((await eventsOf(body)).map((e) => e.id)).toEqual((await eventsOf(body)).map((e) => e.id));
  });

  it('reads several messages and statuses of one body in order', async () => {
    const events = await eventsOf(
      cloud({
        messages: [
          { from: CUSTOMER, id: 'wamid.1', timestamp: '1', type: 'text', text: { body: 'one' } },
          { from: CUSTOMER, id: 'wamid.2', timestamp: '2', type: 'text', text: { body: 'two' } },
        ],
        statuses: [{ id: 'wamid.B1', status: 'delivered', timestamp: '3', recipient_id: CUSTOMER }],
      }),
    );
    expect(events.map((e) => e.id)).toEqual(['wamid.1', 'wamid.2', 'wamid.B1:delivered']);
  });
});

describe('whatsapp bodies that are not WhatsApp webhooks', () => {
  it('refuses a body that is not JSON', async () => {
    expect(await normalize('{"object": "whatsapp_business_account", ')).toMatchObject({ ok: false, error: 'malformed_body' });
  });

  it('names the object field when a Messenger body reaches a WhatsApp channel', async () => {
    const result = await normalize({ object: 'page', entry: [] });
    expect(result.ok === false && result.error).toBe('invalid_body');
    expect(result.ok === false && result.issues[0]).toMatchObject({ path: '$.object' });
  });

  it('names the missing entry field', async () => {
    const result = await normalize({ object: 'whatsapp_business_account' });
    expect(result.ok === false && result.issues.map((i) => i.path)).toContain('$.entry');
  });

  it('names the object field for a JSON body of another shape entirely', async () => {
    const result = await normalize({ hello: 'world' });
    expect(result.ok === false && result.issues.map((i) => i.path)).toContain('$.object');
  });

  it('turns an entry without changes into an unsupported event rather than failing', async () => {
    const event = await onlyEventOf({ object: 'whatsapp_business_account', entry: [{ id: WABA }] });
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'entry', thread: { id: WABA } });
  });

  it('turns a message that is not an object into an unsupported event', async () => {
    const event = await onlyEventOf(cloud({ messages: ['not a message'] }));
    expect(event).toMatchObject({ kind: 'unsupported', rawType: 'message', raw: 'not a message' });
  });
});

describe('whatsapp webhook security', () => {
  const body = fixture('whatsapp/whatsapp_cloud_text.json').toString('utf8');

  it('accepts the X-Hub-Signature-256 of the app secret over the exact body', () => {
    const header = metaSignature(Buffer.from(body), secrets.appSecret);
    expect(whatsappInbound.verify(request(body, { 'x-hub-signature-256': header }), secrets)).toEqual({ ok: true });
  });

  it('refuses a tampered body, a wrong secret and a missing header', () => {
    const header = metaSignature(Buffer.from(body), secrets.appSecret);
    expect(whatsappInbound.verify(request(body.replace('Body Text', 'Body Test'), { 'x-hub-signature-256': header }), secrets).ok).toBe(false);
    const wrong = metaSignature(Buffer.from(body), 'another-secret');
    expect(whatsappInbound.verify(request(body, { 'x-hub-signature-256': wrong }), secrets).ok).toBe(false);
    expect(whatsappInbound.verify(request(body, {}), secrets)).toEqual({ ok: false, reason: 'missing X-Hub-Signature-256 header' });
  });

  it('answers the subscription handshake with the challenge when the verify token matches', () => {
    const url = '/hooks/whatsapp-1?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444';
    expect(whatsappInbound.handshake?.(request('', {}, 'GET', url), secrets)).toEqual({ status: 200, contentType: 'text/plain', body: '1158201444' });
  });

  it('refuses the handshake with a wrong verify token, and ignores requests that are not one', () => {
    const url = '/hooks/whatsapp-1?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444';
    expect(whatsappInbound.handshake?.(request('', {}, 'GET', url), secrets)?.status).toBe(403);
    expect(whatsappInbound.handshake?.(request(body, {}), secrets)).toBeNull();
  });
});
