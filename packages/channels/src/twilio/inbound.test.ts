import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { InboundEvent, MessageEvent, StatusEvent } from '@signalbox/nodes';
import type { InboundRequest } from '../adapter.ts';
import { fixture } from '../testing/fixtures.ts';
import { twilioInbound } from './inbound.ts';
import { bodySha256, twilioSignature } from './signature.ts';

const now = new Date('2026-11-24T00:00:00Z');
const FORM = 'application/x-www-form-urlencoded';

function fields(name: string): Record<string, string> {
  return JSON.parse(fixture(`twilio/${name}`).toString('utf8')) as Record<string, string>;
}

async function normalizeJson(value: unknown): Promise<InboundEvent[]> {
  const result = await twilioInbound.normalize({ body: Buffer.from(JSON.stringify(value)), contentType: 'application/json', now });
  if (!result.ok) throw new Error(`${result.error}: ${JSON.stringify(result.issues)}`);
  return result.events;
}

async function normalizeForm(params: Record<string, string>): Promise<InboundEvent[]> {
  const result = await twilioInbound.normalize({ body: Buffer.from(new URLSearchParams(params).toString()), contentType: `${FORM}; charset=utf-8`, now });
  if (!result.ok) throw new Error(`${result.error}: ${JSON.stringify(result.issues)}`);
  return result.events;
}

async function onlyMessage(events: InboundEvent[] | Promise<InboundEvent[]>): Promise<MessageEvent> {
  const list = await events;
  expect(list).toHaveLength(1);
  const event = list[0];
  if (event?.kind !== 'message') throw new Error(`expected a message, got ${event?.kind}`);
  return event;
}

async function onlyStatus(events: InboundEvent[] | Promise<InboundEvent[]>): Promise<StatusEvent> {
  const list = await events;
  expect(list).toHaveLength(1);
  const event = list[0];
  if (event?.kind !== 'status') throw new Error(`expected a status, got ${event?.kind}`);
  return event;
}

describe('Twilio fixtures', () => {
  it('twilio_sms.json: an SMS from the customer, thread = the sender, no platform time', async () => {
    const params = fields('twilio_sms.json');
    const event = await onlyMessage(normalizeJson(params));
    expect(event.id).toBe(params.SmsSid);
    expect(event.messageId).toBe(params.SmsSid);
    expect(event.content).toEqual({ type: 'text', text: params.Body });
    expect(event.from).toEqual({ id: params.From, phone: params.From });
    expect(event.to).toEqual({ id: params.To, phone: params.To });
    expect(event.thread).toEqual({ id: params.From, kind: 'direct' });
    expect(event.timestamp).toBe(now.toISOString());
    expect(event.echo).toBe(false);
    expect(event.raw).toEqual(params);
  });

  it('twilio_status_delivered.json: a delivered status of MessageSid (not the legacy SmsSid)', async () => {
    const params = fields('twilio_status_delivered.json');
    const event = await onlyStatus(normalizeJson(params));
    expect(event.messageId).toBe(params.MessageSid);
    expect(event.messageId).not.toBe(params.SmsSid);
    expect(event.status).toBe('delivered');
    expect(event.id).toBe(`${params.MessageSid}:delivered`);
    expect(event.error).toBeUndefined();
    // The callback names no To: the message itself keys the thread.
    expect(event.thread.id).toBe(params.MessageSid);
  });

  it('twilio_status_failed.json: failed with ErrorCode / ErrorMessage', async () => {
    const params = fields('twilio_status_failed.json');
    const event = await onlyStatus(normalizeJson(params));
    expect(event.status).toBe('failed');
    expect(event.id).toBe(`${params.MessageSid}:failed`);
    expect(event.error).toEqual({ code: params.ErrorCode, message: params.ErrorMessage });
  });

  it('twilio_whatsapp_bsuid_profile.json: a business-scoped user id is the customer, with profile name and username, no phone', async () => {
    const params = fields('twilio_whatsapp_bsuid_profile.json');
    const event = await onlyMessage(normalizeJson(params));
    expect(event.from.id).toBe(params.From);
    expect(event.from.id.startsWith('whatsapp:')).toBe(true);
    expect(event.from.phone).toBeUndefined();
    expect(event.from.name).toBe(params.ProfileName);
    expect(event.from.username).toBe(params.ProfileUsername);
    expect(event.thread).toEqual({ id: params.From, kind: 'direct' });
    expect(event.content).toEqual({ type: 'text', text: params.Body });
    expect(event.raw).toMatchObject({ ExternalUserId: params.ExternalUserId, ParentExternalUserId: params.ParentExternalUserId });
  });

  it('twilio_whatsapp_location.json: a location; ids keep whatsapp:, phones drop it', async () => {
    const params = fields('twilio_whatsapp_location.json');
    const event = await onlyMessage(normalizeJson(params));
    expect(event.id).toBe(params.SmsSid);
    expect(event.content).toEqual({ type: 'location', latitude: Number(params.Latitude), longitude: Number(params.Longitude) });
    expect(event.from).toEqual({ id: params.From, phone: params.From?.replace('whatsapp:', '') });
    expect(event.to).toEqual({ id: params.To, phone: params.To?.replace('whatsapp:', '') });
    expect(event.thread.id).toBe(params.From);
  });

  it('twilio_whatsapp_media_multi.json: two images, the first is the content with Body as caption', async () => {
    const params = fields('twilio_whatsapp_media_multi.json');
    const event = await onlyMessage(normalizeJson(params));
    expect(event.content).toEqual({ type: 'image', url: params.MediaUrl0, mimeType: params.MediaContentType0, caption: params.Body });
    expect(event.attachments).toEqual([
      { type: 'image', url: params.MediaUrl0, mimeType: params.MediaContentType0, caption: params.Body },
      { type: 'image', url: params.MediaUrl1, mimeType: params.MediaContentType1 },
    ]);
  });
});

describe('Twilio form bodies (what Twilio really posts)', () => {
  it('reads the same parameters from a form body as from JSON', async () => {
    const params = fields('twilio_sms.json');
    expect(await normalizeForm(params)).toEqual(await normalizeJson(params));
  });

  it('keeps + and spaces of form values exactly', async () => {
    const event = await onlyMessage(normalizeForm({ AccountSid: 'AC1', MessageSid: 'SM1', From: '+15550001111', Body: '  two  spaces & a+plus ' }));
    expect(event.from.id).toBe('+15550001111');
    expect(event.content).toEqual({ type: 'text', text: '  two  spaces & a+plus ' });
  });

  it('a quick-reply button of a WhatsApp template is an interactive button choice', async () => {
    const event = await onlyMessage(
      normalizeForm({ AccountSid: 'AC1', MessageSid: 'SM2', From: 'whatsapp:+15550001111', Body: 'Yes', ButtonText: 'Yes', ButtonPayload: 'confirm-yes', MessageType: 'button' }),
    );
    expect(event.content).toEqual({ type: 'interactive', id: 'confirm-yes', title: 'Yes', kind: 'button' });
  });

  it('a list-picker choice is an interactive list choice', async () => {
    const event = await onlyMessage(normalizeForm({ AccountSid: 'AC1', MessageSid: 'SM3', From: 'whatsapp:+15550001111', Body: 'Denver', ListId: 'den', ListTitle: 'Denver' }));
    expect(event.content).toEqual({ type: 'interactive', id: 'den', title: 'Denver', kind: 'list' });
  });

  it('a reply keeps the replied-to message id; a forwarded message is marked', async () => {
    const event = await onlyMessage(
      normalizeForm({ AccountSid: 'AC1', MessageSid: 'SM4', From: 'whatsapp:+15550001111', Body: 'this one', OriginalRepliedMessageSid: 'SM0', Forwarded: 'true' }),
    );
    expect(event.replyTo).toBe('SM0');
    expect(event.forwarded).toBe(true);
  });

  it('a click-to-WhatsApp ad becomes the referral', async () => {
    const event = await onlyMessage(
      normalizeForm({
        AccountSid: 'AC1',
        MessageSid: 'SM5',
        From: 'whatsapp:+15550001111',
        Body: 'Is this in stock?',
        ReferralSourceType: 'ad',
        ReferralSourceId: '120200000000',
        ReferralSourceUrl: 'https://fb.me/abc',
        ReferralHeadline: 'Winter sale',
        ReferralBody: '20% off',
        ReferralCtwaClid: 'ARAkLkA8rmlFeiCktEJQ',
      }),
    );
    expect(event.referral).toEqual({ source: 'ad', adId: '120200000000', url: 'https://fb.me/abc', headline: 'Winter sale', body: '20% off' });
    expect(event.raw).toMatchObject({ ReferralCtwaClid: 'ARAkLkA8rmlFeiCktEJQ' });
  });

  it("media sids come from Twilio's media URLs; a PDF is a file; WaId gives the phone behind a user id", async () => {
    const url = 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME0123456789abcdef0123456789abcdef';
    const event = await onlyMessage(
      normalizeForm({ AccountSid: 'AC1', MessageSid: 'MM1', From: 'whatsapp:US.1234567890', WaId: '15550001111', NumMedia: '1', MediaUrl0: url, MediaContentType0: 'application/pdf', Body: '' }),
    );
    expect(event.content).toEqual({ type: 'file', url, mimeType: 'application/pdf', mediaId: 'ME0123456789abcdef0123456789abcdef' });
    expect(event.attachments).toBeUndefined();
    expect(event.from.phone).toBe('+15550001111');
  });

  it('an inbound message carrying SmsStatus=received is a message, not a status', async () => {
    const event = await onlyMessage(normalizeForm({ AccountSid: 'AC1', MessageSid: 'SM6', SmsStatus: 'received', From: '+15550001111', Body: 'hi' }));
    expect(event.content).toEqual({ type: 'text', text: 'hi' });
  });
});

describe('Twilio status callbacks', () => {
  const base = { AccountSid: 'AC1', MessageSid: 'SM9', From: '+15559990000', To: '+15550001111' };

  it.each([
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
    ['failed', 'failed'],
    ['undelivered', 'failed'],
  ] as const)('%s -> %s, thread = the customer (To)', async (raw, status) => {
    const event = await onlyStatus(normalizeForm({ ...base, MessageStatus: raw, SmsStatus: raw }));
    expect(event.status).toBe(status);
    expect(event.id).toBe(`SM9:${status}`);
    expect(event.thread).toEqual({ id: base.To, kind: 'direct' });
  });

  it('undelivered keeps the carrier error', async () => {
    const event = await onlyStatus(normalizeForm({ ...base, MessageStatus: 'undelivered', ErrorCode: '30003', ErrorMessage: 'Unreachable destination handset' }));
    expect(event.error).toEqual({ code: '30003', message: 'Unreachable destination handset' });
  });

  it('queued and sending are unsupported steps, kept raw', async () => {
    for (const raw of ['queued', 'sending']) {
      const [event] = await normalizeForm({ ...base, MessageStatus: raw });
      expect(event).toMatchObject({ kind: 'unsupported', id: `SM9:${raw}`, rawType: `MessageStatus:${raw}`, raw: { MessageStatus: raw } });
    }
  });
});

describe('Twilio robustness', () => {
  it('a JSON body that is not JSON -> malformed_body', async () => {
    const result = await twilioInbound.normalize({ body: Buffer.from('{"AccountSid": '), contentType: 'application/json', now });
    expect(result).toMatchObject({ ok: false, error: 'malformed_body' });
  });

  it('a form body that is not name=value pairs -> malformed_body', async () => {
    const result = await twilioInbound.normalize({ body: Buffer.from('hello there'), contentType: FORM, now });
    expect(result).toMatchObject({ ok: false, error: 'malformed_body' });
  });

  it('JSON that is not an object -> invalid_body at $', async () => {
    const result = await twilioInbound.normalize({ body: Buffer.from('[1,2]'), contentType: 'application/json', now });
    expect(result).toEqual({ ok: false, error: 'invalid_body', issues: [{ path: '$', message: expect.any(String) }] });
  });

  it('an object without Twilio parameters -> invalid_body naming AccountSid and MessageSid', async () => {
    const result = await twilioInbound.normalize({ body: Buffer.from('{"hello":"world"}'), contentType: 'application/json', now });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error).toBe('invalid_body');
    expect(result.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['$.AccountSid', '$.MessageSid', '$.From']));
  });

  it('an unknown WhatsApp message type without text is unsupported content, raw kept', async () => {
    const params = { AccountSid: 'AC1', MessageSid: 'SM7', From: 'whatsapp:+15550001111', MessageType: 'order', Body: '' };
    const event = await onlyMessage(normalizeForm(params));
    expect(event.content).toEqual({ type: 'unsupported', rawType: 'order' });
    expect(event.raw).toEqual(params);
  });

  it('never throws on odd bytes', async () => {
    const result = await twilioInbound.normalize({ body: Buffer.from([0xff, 0xfe, 0x00, 0x3d]), contentType: FORM, now });
    expect(result.ok).toBe(false);
  });
});

describe('X-Twilio-Signature', () => {
  const authToken = '12345';
  const url = 'https://signalbox.example.com/hooks/ch_1?x=1';
  const params = { AccountSid: 'AC1', MessageSid: 'SM1', From: '+15550001111', To: '+15559990000', Body: 'Hi & bye' };
  const body = Buffer.from(new URLSearchParams(params).toString());

  function request(overrides: Partial<InboundRequest> & { signature?: string | null } = {}): InboundRequest {
    const signature = overrides.signature === undefined ? twilioSignature(url, Object.entries(params), authToken) : overrides.signature;
    return {
      method: 'POST',
      url: overrides.url ?? url,
      headers: { 'content-type': FORM, ...(signature === null ? {} : { 'x-twilio-signature': signature }) },
      body: overrides.body ?? body,
    };
  }

  it("matches the example of Twilio's documentation (both published variants)", () => {
    const docUrl = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const call = (caller: string): [string, string][] => [
      ['CallSid', 'CA1234567890ABCDE'],
      ['Caller', caller],
      ['Digits', '1234'],
      ['From', caller],
      ['To', '+18005551212'],
    ];
    expect(twilioSignature(docUrl, call('+14158675309'), '12345')).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(twilioSignature(docUrl, call('+14158675310'), '12345')).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  it('accepts a valid signature over URL + sorted parameters', () => {
    const data = `${url}AccountSidAC1BodyHi & byeFrom+15550001111MessageSidSM1To+15559990000`;
    const expected = createHmac('sha1', authToken).update(data).digest('base64');
    expect(request().headers['x-twilio-signature']).toBe(expected);
    expect(twilioInbound.verify(request(), { authToken })).toEqual({ ok: true });
  });

  it('accepts the URL with its default port written out', () => {
    const withPort = 'https://signalbox.example.com:443/hooks/ch_1?x=1';
    expect(twilioInbound.verify(request({ url: withPort }), { authToken })).toEqual({ ok: true });
  });

  it('rejects a tampered parameter', () => {
    const tampered = Buffer.from(new URLSearchParams({ ...params, Body: 'Hi & buy' }).toString());
    expect(twilioInbound.verify(request({ body: tampered }), { authToken }).ok).toBe(false);
  });

  it('rejects a wrong auth token', () => {
    expect(twilioInbound.verify(request(), { authToken: '54321' }).ok).toBe(false);
  });

  it('rejects a missing header', () => {
    expect(twilioInbound.verify(request({ signature: null }), { authToken })).toEqual({ ok: false, reason: 'missing X-Twilio-Signature header' });
  });

  it('rejects another URL (path or query)', () => {
    expect(twilioInbound.verify(request({ url: 'https://signalbox.example.com/hooks/ch_2?x=1' }), { authToken }).ok).toBe(false);
    expect(twilioInbound.verify(request({ url: 'https://signalbox.example.com/hooks/ch_1?x=2' }), { authToken }).ok).toBe(false);
  });

  it('rejects when the channel has no auth token', () => {
    expect(twilioInbound.verify(request(), {}).ok).toBe(false);
  });

  describe('JSON bodies (bodySHA256 in the URL, the URL alone signed)', () => {
    const json = Buffer.from(JSON.stringify(params));
    const signedUrl = `https://signalbox.example.com/hooks/ch_1?bodySHA256=${bodySha256(json)}`;
    const jsonRequest = (body: Buffer, token = authToken): InboundRequest => ({
      method: 'POST',
      url: signedUrl,
      headers: { 'content-type': 'application/json', 'x-twilio-signature': twilioSignature(signedUrl, [], token) },
      body,
    });

    it('accepts a body whose hash matches', () => {
      expect(twilioInbound.verify(jsonRequest(json), { authToken })).toEqual({ ok: true });
    });

    it('rejects a tampered body', () => {
      expect(twilioInbound.verify(jsonRequest(Buffer.from(JSON.stringify({ ...params, Body: 'changed' }))), { authToken })).toEqual({
        ok: false,
        reason: 'bodySHA256 does not match the body',
      });
    });

    it('rejects a wrong token', () => {
      expect(twilioInbound.verify(jsonRequest(json, 'other'), { authToken }).ok).toBe(false);
    });
  });
});
