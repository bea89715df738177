import type { MessageContent } from '@signalbox/nodes';
import { Interactive, Location, Media, Order, SharedContact, TemplateButton, TextBody, Unsupported } from './payload.ts';

/**
 * The content of one WhatsApp message object: its `type` names a sibling object holding the content
 * (`{ type: "image", image: { id, mime_type, caption } }`). Media arrive as ids to download through the Graph API,
 * never as bytes. A type Signalbox does not know, or a content object it cannot read, becomes `unsupported` content
 * named after Meta's type, so the message is kept and flows can answer "I can't read that".
 */
export function messageContent(message: Readonly<Record<string, unknown>>, type: string): MessageContent {
  const body = message[type];
  switch (type) {
    case 'text': {
      const text = TextBody.safeParse(body);
      return text.success ? { type: 'text', text: text.data.body } : unsupported(type);
    }
    case 'image':
    case 'video':
    case 'sticker':
      return mediaContent(type, body);
    case 'audio':
      return mediaContent('audio', body);
    case 'document':
      return mediaContent('file', body);
    case 'location': {
      const location = Location.safeParse(body);
      if (!location.success) return unsupported(type);
      const { latitude, longitude, name, address } = location.data;
      return { type: 'location', latitude, longitude, name, address };
    }
    case 'contacts':
      return contactsContent(body);
    case 'interactive':
      return interactiveContent(body);
    case 'button': {
      // A tapped quick-reply button of a template: the payload the template defined, the label the customer saw.
      const button = TemplateButton.safeParse(body);
      return button.success ? { type: 'interactive', id: button.data.payload ?? button.data.text, title: button.data.text, kind: 'button' } : unsupported(type);
    }
    case 'order':
      return orderContent(body);
    case 'unsupported': {
      // Meta names what it could not pass on (a poll, a view-once message) in `unsupported.type`.
      const inner = Unsupported.safeParse(body);
      return unsupported(inner.success && inner.data.type ? inner.data.type : type);
    }
    default:
      return unsupported(type);
  }
}

function unsupported(rawType: string): MessageContent {
  return { type: 'unsupported', rawType };
}

function mediaContent(type: 'image' | 'video' | 'sticker' | 'audio' | 'file', body: unknown): MessageContent {
  const parsed = Media.safeParse(body);
  if (!parsed.success) return unsupported(type === 'file' ? 'document' : type);
  const media = parsed.data;
  const fields = { mediaId: media.id, mimeType: media.mime_type, url: media.url };
  switch (type) {
    case 'audio':
      return { type, ...fields, voice: media.voice };
    case 'sticker':
      return { type, ...fields };
    case 'file':
      return { type, ...fields, name: media.filename, caption: media.caption };
    default:
      return { type, ...fields, caption: media.caption };
  }
}

function contactsContent(body: unknown): MessageContent {
  if (!Array.isArray(body)) return unsupported('contacts');
  const contacts = body.flatMap((item) => {
    const parsed = SharedContact.safeParse(item);
    if (!parsed.success) return [];
    const { name, phones, emails } = parsed.data;
    const fullName = name?.formatted_name ?? [name?.first_name, name?.last_name].filter(Boolean).join(' ');
    return [
      {
        name: fullName,
        phones: (phones ?? []).flatMap((p) => {
          const phone = p.phone ?? p.wa_id;
          return phone ? [phone] : [];
        }),
        emails: (emails ?? []).flatMap((e) => (e.email ? [e.email] : [])),
      },
    ];
  });
  return { type: 'contacts', contacts };
}

/** Reply-button and list-row choices; other interactive replies (Flows' nfm_reply, call permission) keep their subtype. */
function interactiveContent(body: unknown): MessageContent {
  const parsed = Interactive.safeParse(body);
  if (!parsed.success) return unsupported('interactive');
  const { type, button_reply: button, list_reply: row } = parsed.data;
  if (type === 'button_reply' && button) return { type: 'interactive', id: button.id, title: button.title, kind: 'button' };
  if (type === 'list_reply' && row) return { type: 'interactive', id: row.id, title: row.title, kind: 'list' };
  return unsupported(type);
}

function orderContent(body: unknown): MessageContent {
  const parsed = Order.safeParse(body);
  if (!parsed.success) return unsupported('order');
  const items = parsed.data.product_items.map((item) => ({
    sku: item.product_retailer_id,
    quantity: item.quantity,
    price: item.item_price,
    currency: item.currency,
  }));
  return { type: 'order', items, note: parsed.data.text };
}
