import { metaSignature } from '@signalbox/channels';

/** For tests: Meta webhook bodies as WhatsApp Cloud posts them, and a signed POST of one to the runner. */

const nowSeconds = () => String(Math.floor(Date.now() / 1000));

/** A `messages` webhook of phone number `pn-1` carrying `value` (its contacts, messages or statuses). */
export function whatsappWebhook(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'waba',
        changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: 'pn-1' }, ...value } }],
      },
    ],
  };
}

/** A receipt for a message the business sent, sent now. */
export function whatsappStatus(messageId: string, recipient: string, status: string, error?: { code: number; title: string }) {
  return whatsappWebhook({ statuses: [{ id: messageId, status, timestamp: nowSeconds(), recipient_id: recipient, ...(error ? { errors: [error] } : {}) }] });
}

/** An image from `from`, sent now: the media as an id, the bytes to be fetched through the Graph API. */
export function whatsappImage(id: string, from: string, mediaId: string, caption: string) {
  return whatsappWebhook({
    contacts: [{ profile: { name: 'Ana' }, wa_id: from }],
    messages: [{ from, id, timestamp: nowSeconds(), type: 'image', image: { id: mediaId, mime_type: 'image/gif', sha256: 'ab', caption } }],
  });
}

/** POSTs `body` to a Meta channel's webhook, signed with the app secret. */
export function postMeta(baseUrl: string, channelId: string, body: unknown, appSecret = 'app-secret'): Promise<Response> {
  const text = JSON.stringify(body);
  return fetch(`${baseUrl}/hooks/${channelId}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(Buffer.from(text), appSecret) }, body: text });
}

/** A text from `from`, sent now (WhatsApp's 24-hour window is open). */
export function whatsappText(id: string, from: string, text: string) {
  return whatsappWebhook({
    contacts: [{ profile: { name: 'Test Name' }, wa_id: from }],
    messages: [{ from, id, timestamp: nowSeconds(), type: 'text', text: { body: text } }],
  });
}
