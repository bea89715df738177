import { z } from 'zod';

/**
 * The parts of WhatsApp's webhook bodies the adapter reads, parsed leniently (`looseObject`, optional fields):
 * Meta adds fields often, and a field it adds must never make a body unreadable. Field names are Meta's.
 *
 * Cloud API: `{ object: "whatsapp_business_account", entry: [{ id: <WABA id>, changes: [{ field, value }] }] }`.
 * On-Premises API and 360dialog's v1 relay post the inner `value` alone: `{ contacts, messages, statuses, errors }`.
 */
const Text = z.string();
/** An id that names a customer, group or thread: an empty one is as good as none, so it fails the parse. */
const Id = z.string().min(1);
const IdText = z.union([z.string().min(1), z.number()]).transform(String);
/** Epoch seconds, as a string on Cloud API and a number in some relays. */
export const Time = z.union([z.string(), z.number()]);

export const Change = z.looseObject({ field: z.string().min(1).optional(), value: z.unknown() });
export type Change = z.infer<typeof Change>;

export const Entry = z.looseObject({ id: IdText.optional(), time: Time.optional(), changes: z.array(z.unknown()).optional() });
export type Entry = z.infer<typeof Entry>;

export const CloudEnvelope = z.looseObject({
  object: z.literal('whatsapp_business_account', { error: 'expected "whatsapp_business_account" (a WhatsApp Business Account webhook)' }),
  entry: z.array(Entry),
});

export const Metadata = z.looseObject({ display_phone_number: Text.optional(), phone_number_id: IdText.optional() });

/** The `value` of a `messages` change, and the whole body on the On-Premises API. */
export const MessagesValue = z.looseObject({
  metadata: Metadata.optional(),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});
export type MessagesValue = z.infer<typeof MessagesValue>;

/** The `value` of an `smb_message_echoes` change (coexistence: messages the business sent from the WhatsApp Business app). */
export const EchoesValue = z.looseObject({ metadata: Metadata.optional(), message_echoes: z.array(z.unknown()).optional() });

export const Contact = z.looseObject({
  wa_id: Text.optional(),
  /** The business-scoped user id (BSUID), `CC.<digits>`; the only id of a customer who hides the phone behind a username. */
  user_id: Text.optional(),
  profile: z.looseObject({ name: Text.optional(), username: Text.optional() }).optional(),
});
export type Contact = z.infer<typeof Contact>;

export const PlatformError = z.looseObject({
  code: IdText.optional(),
  title: Text.optional(),
  message: Text.optional(),
  /** On-Premises puts the details here; Cloud API in `error_data.details`. */
  details: Text.optional(),
  error_data: z.looseObject({ details: Text.optional() }).optional(),
});
export type PlatformError = z.infer<typeof PlatformError>;

export const Referral = z.looseObject({
  source_url: Text.optional(),
  source_id: IdText.optional(),
  source_type: Text.optional(),
  headline: Text.optional(),
  body: Text.optional(),
});
export type Referral = z.infer<typeof Referral>;

export const Message = z.looseObject({
  id: z.string().min(1).optional(),
  /** The sender's phone number (wa_id); absent when only the BSUID is shared. */
  from: Id.optional(),
  from_user_id: Id.optional(),
  /** Echoes: the customer the business wrote to. */
  to: Id.optional(),
  to_user_id: Id.optional(),
  group_id: Id.optional(),
  timestamp: Time.optional(),
  type: z.string().min(1).optional(),
  context: z
    .looseObject({ id: Text.optional(), forwarded: z.boolean().optional(), frequently_forwarded: z.boolean().optional() })
    .optional(),
  referral: Referral.optional(),
  errors: z.array(z.unknown()).optional(),
});
export type Message = z.infer<typeof Message>;

export const Status = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: Time.optional(),
  recipient_id: Id.optional(),
  recipient_user_id: Id.optional(),
  recipient_type: Text.optional(),
  errors: z.array(z.unknown()).optional(),
});
export type Status = z.infer<typeof Status>;

export const Reaction = z.looseObject({ message_id: z.string().min(1), emoji: Text.optional() });
export const Revoke = z.looseObject({ original_message_id: z.string().min(1) });
export const Edit = z.looseObject({ original_message_id: z.string().min(1), message: z.record(z.string(), z.unknown()).optional() });

export const SystemChange = z.looseObject({
  type: Text.optional(),
  body: Text.optional(),
  /** user_changed_number: the new phone number (older payloads: `wa_id`). */
  new_wa_id: Id.optional(),
  wa_id: Id.optional(),
  /** user_changed_user_id: the BSUID before and after. */
  previous_user_id: Id.optional(),
  user_id: Id.optional(),
});

// Content objects, one per message type.
export const TextBody = z.looseObject({ body: z.string() });
export const Media = z.looseObject({
  id: IdText.optional(),
  mime_type: Text.optional(),
  caption: Text.optional(),
  filename: Text.optional(),
  url: Text.optional(),
  voice: z.boolean().optional(),
});
export type Media = z.infer<typeof Media>;
export const Location = z.looseObject({ latitude: z.number(), longitude: z.number(), name: Text.optional(), address: Text.optional() });
export const SharedContact = z.looseObject({
  name: z.looseObject({ formatted_name: Text.optional(), first_name: Text.optional(), last_name: Text.optional() }).optional(),
  phones: z.array(z.looseObject({ phone: Text.optional(), wa_id: Text.optional() })).optional(),
  emails: z.array(z.looseObject({ email: Text.optional() })).optional(),
});
export const Choice = z.looseObject({ id: z.string(), title: z.string() });
export const Interactive = z.looseObject({ type: z.string().min(1), button_reply: Choice.optional(), list_reply: Choice.optional() });
export const TemplateButton = z.looseObject({ payload: z.string().optional(), text: z.string() });
export const Order = z.looseObject({
  text: Text.optional(),
  product_items: z.array(
    z.looseObject({ product_retailer_id: IdText, quantity: z.coerce.number(), item_price: z.coerce.number().optional(), currency: Text.optional() }),
  ),
});
export const Unsupported = z.looseObject({ type: Text.optional() });
