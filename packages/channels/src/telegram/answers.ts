import { z } from 'zod';
import { parseRetryAfter, type DeliveryResult } from '../delivery.ts';
import { classifyDefault, type PlatformAnswer } from '../outbound.ts';
import { telegramMessageId } from './ids.ts';

/**
 * Reads the Bot API's answers (https://core.telegram.org/bots/api#making-requests): always
 * `{ ok, result }` or `{ ok: false, error_code, description, parameters: { retry_after, migrate_to_chat_id } }`,
 * with the HTTP status equal to `error_code`.
 *
 * - 429 "Too Many Requests: retry after N": flood control; retried after `parameters.retry_after` seconds.
 * - 5xx: Telegram's side; retried.
 * - 400 (chat not found, message text is empty, group upgraded to a supergroup), 401 (token revoked or wrong),
 *   403 (bot blocked by the user, kicked from the group), 404 (wrong method / token): permanent, with
 *   Telegram's description, which is the only precise reason it gives (`error_code` is coarse and "subject to
 *   change" per the docs).
 */
export const BotApiAnswer = z.looseObject({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().int().optional(),
  description: z.string().optional(),
  parameters: z.looseObject({ retry_after: z.number().optional(), migrate_to_chat_id: z.number().optional() }).optional(),
});
export type BotApiAnswer = z.infer<typeof BotApiAnswer>;

const SentMessage = z.looseObject({ message_id: z.number().int(), chat: z.looseObject({ id: z.number().int() }) });

export function classifyTelegramAnswer(answer: PlatformAnswer): DeliveryResult {
  const parsed = BotApiAnswer.safeParse(answer.json);
  if (answer.status === 0 || !parsed.success) return classifyDefault(answer, (a) => a.text.slice(0, 300));
  const body = parsed.data;
  if (body.ok) return { ok: true, externalId: sentMessageId(body.result) };
  const code = body.error_code ?? answer.status;
  const error = describeFailure(code, body);
  if (code === 429) return { ok: false, retry: true, retryAfterMs: retryAfterMs(body, answer), error };
  if (code >= 500) return { ok: false, retry: true, retryAfterMs: parseRetryAfter(answer.headers['retry-after']), error };
  return { ok: false, retry: false, error };
}

/** Same id as inbound messages (`<chat.id>:<message_id>`), so a customer's reply to it finds it. */
function sentMessageId(result: unknown): string | null {
  const sent = SentMessage.safeParse(result);
  return sent.success ? telegramMessageId(sent.data.chat.id, sent.data.message_id) : null;
}

/** `<error_code>: <description>`, plus the new chat id when a group became a supergroup (its old id is gone). */
export function describeFailure(code: number, body: BotApiAnswer): string {
  const migrated = body.parameters?.migrate_to_chat_id;
  const reason = body.description ?? 'Bot API error';
  return migrated === undefined ? `${code}: ${reason}` : `${code}: ${reason} (the group is now the supergroup ${migrated})`;
}

function retryAfterMs(body: BotApiAnswer, answer: PlatformAnswer): number | undefined {
  const seconds = body.parameters?.retry_after;
  if (seconds !== undefined && seconds >= 0) return Math.round(seconds * 1000);
  return parseRetryAfter(answer.headers['retry-after']);
}
