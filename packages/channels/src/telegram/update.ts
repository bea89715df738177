import { z } from 'zod';

/**
 * The parts of the Bot API's `Update` (https://core.telegram.org/bots/api#update) the adapter reads. Lenient on
 * purpose: every object keeps unknown fields (`looseObject`) and only what identifies an event is required, so a
 * new Bot API field never makes an update unreadable. Telegram ids are integers below 2^53 (documented), safe as
 * JS numbers.
 */

const Id = z.number().int();
const OptionalText = z.string().optional();

export const User = z.looseObject({
  id: Id,
  is_bot: z.boolean().optional(),
  first_name: OptionalText,
  last_name: OptionalText,
  username: OptionalText,
  language_code: OptionalText,
});
export type User = z.infer<typeof User>;

export const Chat = z.looseObject({
  id: Id,
  /** private, group, supergroup or channel. */
  type: z.string(),
  title: OptionalText,
  username: OptionalText,
  first_name: OptionalText,
  last_name: OptionalText,
});
export type Chat = z.infer<typeof Chat>;

const File = {
  file_id: z.string().min(1),
  file_unique_id: OptionalText,
  file_size: z.number().int().nonnegative().optional(),
};
const PhotoSize = z.looseObject({ ...File, width: z.number().optional(), height: z.number().optional() });
const MediaFile = z.looseObject({ ...File, mime_type: OptionalText, file_name: OptionalText });

const InlineKeyboardButton = z.looseObject({ text: z.string(), callback_data: OptionalText });
const ReplyMarkup = z.looseObject({ inline_keyboard: z.array(z.array(InlineKeyboardButton)).optional() });

/** `Message` (also `channel_post` and the edited kinds). `date` 0 marks an `InaccessibleMessage` (in callback queries). */
export const Message = z.looseObject({
  message_id: Id,
  date: z.number().optional(),
  edit_date: z.number().optional(),
  chat: Chat,
  from: User.optional(),
  /** The chat a message was sent on behalf of: the channel of a post, the group of an anonymous admin. */
  sender_chat: Chat.optional(),
  text: OptionalText,
  caption: OptionalText,
  photo: z.array(PhotoSize).optional(),
  voice: MediaFile.optional(),
  audio: MediaFile.optional(),
  video: MediaFile.optional(),
  video_note: MediaFile.optional(),
  animation: MediaFile.optional(),
  document: MediaFile.optional(),
  sticker: z
    .looseObject({
      ...File,
      emoji: OptionalText,
      set_name: OptionalText,
      // Booleans in the Bot API; 1/0 have been seen in captured payloads.
      is_animated: z.unknown().optional(),
      is_video: z.unknown().optional(),
    })
    .optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
  venue: z
    .looseObject({ location: z.looseObject({ latitude: z.number(), longitude: z.number() }), title: OptionalText, address: OptionalText })
    .optional(),
  contact: z
    .looseObject({ phone_number: z.string(), first_name: z.string(), last_name: OptionalText, user_id: Id.optional(), vcard: OptionalText })
    .optional(),
  reply_to_message: z.looseObject({ message_id: Id }).optional(),
  forward_origin: z.unknown().optional(),
  forward_date: z.number().optional(),
  reply_markup: ReplyMarkup.optional(),
});
export type Message = z.infer<typeof Message>;

export const CallbackQuery = z.looseObject({
  id: z.string().min(1),
  from: User,
  message: Message.optional(),
  inline_message_id: OptionalText,
  data: OptionalText,
  game_short_name: OptionalText,
});
export type CallbackQuery = z.infer<typeof CallbackQuery>;

const ReactionType = z.looseObject({ type: z.string(), emoji: OptionalText, custom_emoji_id: OptionalText });
export type ReactionType = z.infer<typeof ReactionType>;

export const MessageReaction = z.looseObject({
  chat: Chat,
  message_id: Id,
  date: z.number().optional(),
  user: User.optional(),
  actor_chat: Chat.optional(),
  old_reaction: z.array(ReactionType).default([]),
  new_reaction: z.array(ReactionType).default([]),
});
export type MessageReaction = z.infer<typeof MessageReaction>;

/** One update per webhook call; at most one of the optional fields is present (Bot API). */
export const Update = z.looseObject({
  update_id: Id.nonnegative(),
  message: Message.optional(),
  edited_message: Message.optional(),
  channel_post: Message.optional(),
  edited_channel_post: Message.optional(),
  callback_query: CallbackQuery.optional(),
  message_reaction: MessageReaction.optional(),
});
export type Update = z.infer<typeof Update>;
