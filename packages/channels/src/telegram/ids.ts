/**
 * Telegram's `message_id` only counts within its chat (message 1 exists in every chat), while Signalbox finds
 * stored messages per channel. So a Telegram message is named `<chat.id>:<message_id>` everywhere: inbound
 * messages, their `replyTo`, and the ids of messages the bot sent.
 */
export function telegramMessageId(chatId: number, messageId: number): string {
  return `${chatId}:${messageId}`;
}

/** The `message_id` to reply to, from `<chat.id>:<message_id>` or a bare number; null for anything else (a callback query's id). */
export function replyTargetOf(messageId: string | null): number | null {
  const match = messageId === null ? null : /^(?:-?\d+:)?(\d+)$/.exec(messageId);
  if (!match?.[1]) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
