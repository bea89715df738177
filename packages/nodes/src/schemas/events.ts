import { z } from 'zod';

/** Who sent or receives a message on a platform. `id` is the platform's own id for that person. */
export const Party = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  username: z.string().optional(),
  locale: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
});
export type Party = z.infer<typeof Party>;

const MediaFields = {
  url: z.string().optional(),
  mediaId: z.string().optional(),
  mimeType: z.string().optional(),
  name: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  caption: z.string().optional(),
};

const ImageContent = z.object({ type: z.literal('image'), ...MediaFields });
const AudioContent = z.object({ type: z.literal('audio'), ...MediaFields, voice: z.boolean().optional() });
const VideoContent = z.object({ type: z.literal('video'), ...MediaFields });
const FileContent = z.object({ type: z.literal('file'), ...MediaFields });

export const MessageContent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  ImageContent,
  AudioContent,
  VideoContent,
  FileContent,
  z.object({ type: z.literal('sticker'), ...MediaFields, packageId: z.string().optional(), stickerId: z.string().optional() }),
  z.object({
    type: z.literal('location'),
    latitude: z.number(),
    longitude: z.number(),
    name: z.string().optional(),
    address: z.string().optional(),
  }),
  z.object({
    type: z.literal('contacts'),
    contacts: z.array(
      z.object({ name: z.string(), phones: z.array(z.string()).default([]), emails: z.array(z.string()).default([]) }),
    ),
  }),
  z.object({ type: z.literal('interactive'), id: z.string(), title: z.string(), kind: z.enum(['button', 'list']) }),
  z.object({ type: z.literal('postback'), payload: z.string(), title: z.string().optional() }),
  z.object({
    type: z.literal('order'),
    items: z.array(z.object({ sku: z.string(), quantity: z.number(), price: z.number().optional(), currency: z.string().optional() })),
    note: z.string().optional(),
  }),
  z.object({ type: z.literal('reaction'), emoji: z.string(), messageId: z.string() }),
  z.object({ type: z.literal('unsupported'), rawType: z.string() }),
]);
export type MessageContent = z.infer<typeof MessageContent>;

export const Thread = z.object({
  id: z.string().min(1),
  kind: z.enum(['direct', 'group']).default('direct'),
  title: z.string().optional(),
});

export const Referral = z.object({
  source: z.string().optional(),
  /** The parameter the shop put on the link or ad (Meta's `ref`), for routing by campaign. */
  ref: z.string().optional(),
  adId: z.string().optional(),
  url: z.string().optional(),
  headline: z.string().optional(),
  body: z.string().optional(),
});

const EventBase = {
  /** The platform's id for this event; inbound dedupe key together with the channel. */
  id: z.string().min(1),
  channelType: z.string().min(1),
  timestamp: z.string().datetime({ offset: true }),
  thread: Thread,
  /** The raw platform payload, kept verbatim so nothing is ever lost in normalization. */
  raw: z.unknown(),
};

export const MessageEvent = z.object({
  kind: z.literal('message'),
  ...EventBase,
  messageId: z.string().min(1),
  from: Party,
  to: Party.optional(),
  content: MessageContent,
  replyTo: z.string().optional(),
  referral: Referral.optional(),
  locale: z.string().optional(),
  /** True when the platform echoes a message the business itself sent; never treated as a customer message. */
  echo: z.boolean().default(false),
  /**
   * Every media item when the message carried more than one (Twilio, Messenger, email attachments); `content`
   * holds the first (or the text).
   */
  attachments: z.array(z.discriminatedUnion('type', [ImageContent, AudioContent, VideoContent, FileContent])).optional(),
  /** The customer forwarded this message from another chat. */
  forwarded: z.boolean().optional(),
});

export const StatusEvent = z.object({
  kind: z.literal('status'),
  ...EventBase,
  /** The message the receipt is about; for a watermark receipt (`upTo`), the receipt's own id. */
  messageId: z.string().min(1),
  /**
   * A watermark (Messenger's read and older delivery receipts): every message sent to this thread up to this
   * time has the status, and no single message is named.
   */
  upTo: z.string().datetime({ offset: true }).optional(),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const EditEvent = z.object({
  kind: z.literal('edit'),
  ...EventBase,
  messageId: z.string().min(1),
  from: Party,
  content: MessageContent,
});

export const DeleteEvent = z.object({
  kind: z.literal('delete'),
  ...EventBase,
  messageId: z.string().min(1),
  from: Party,
});

export const ReactionEvent = z.object({
  kind: z.literal('reaction'),
  ...EventBase,
  messageId: z.string().min(1),
  from: Party,
  emoji: z.string(),
  removed: z.boolean().default(false),
});

export const IdentityChangeEvent = z.object({
  kind: z.literal('identity-change'),
  ...EventBase,
  from: Party,
  previousId: z.string().optional(),
});

/**
 * Anything a platform sent that Signalbox does not understand (a new webhook field, an event type without a
 * meaning here). Kept with its raw payload, never dropped; flows do not run on it.
 */
export const UnsupportedEvent = z.object({
  kind: z.literal('unsupported'),
  ...EventBase,
  /** The platform's own name for what it sent (`"messaging_seen"`, `"follow"`, `"feed"`). */
  rawType: z.string().min(1),
  /** Why it was not normalized, for people reading the log. */
  reason: z.string().min(1),
  from: Party.optional(),
});

export const InboundEvent = z.discriminatedUnion('kind', [
  MessageEvent,
  StatusEvent,
  EditEvent,
  DeleteEvent,
  ReactionEvent,
  IdentityChangeEvent,
  UnsupportedEvent,
]);
export type InboundEvent = z.infer<typeof InboundEvent>;
export type MessageEvent = z.infer<typeof MessageEvent>;
export type StatusEvent = z.infer<typeof StatusEvent>;
export type UnsupportedEvent = z.infer<typeof UnsupportedEvent>;

/** The plain text of a message for routing: text, a button title, a postback payload, a caption. */
export function contentText(content: MessageContent): string {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'interactive':
      return content.title;
    case 'postback':
      return content.title ?? content.payload;
    case 'image':
    case 'video':
    case 'file':
    case 'audio':
    case 'sticker':
      return content.caption ?? '';
    case 'location':
      return content.name ?? content.address ?? '';
    case 'contacts':
      return content.contacts.map((c) => c.name).join(', ');
    case 'order':
      return content.note ?? '';
    case 'reaction':
      return content.emoji;
    case 'unsupported':
      return '';
    default: {
      const unreachable: never = content;
      return unreachable;
    }
  }
}
