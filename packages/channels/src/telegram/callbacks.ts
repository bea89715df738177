import type { InboundEvent } from '@signalbox/nodes';
import type { ChannelSecrets } from '../adapter.ts';
import { apiUrl, performCall } from '../outbound.ts';
import { TelegramConfig, TelegramSecrets } from './config.ts';

const CALLBACK_PREFIX = 'callback:';

/**
 * Telegram shows a spinner on a pressed inline button until the bot answers the callback query
 * (https://core.telegram.org/bots/api#answercallbackquery). The ingress calls this after the press is stored;
 * a failure only leaves the spinner to time out, so it is reported, never retried.
 */
export async function answerTelegramCallbacks(events: readonly InboundEvent[], config: Readonly<Record<string, unknown>>, secrets: ChannelSecrets): Promise<string[]> {
  const queries = events.flatMap((e) => (e.kind === 'message' && e.messageId.startsWith(CALLBACK_PREFIX) ? [e.messageId.slice(CALLBACK_PREFIX.length)] : []));
  if (queries.length === 0) return [];
  const settings = TelegramConfig.safeParse(config);
  const credentials = TelegramSecrets.safeParse(secrets);
  if (!settings.success || !credentials.success) return ['answerCallbackQuery: the channel settings are incomplete'];
  const problems: string[] = [];
  for (const id of queries) {
    const answer = await performCall({
      method: 'POST',
      url: apiUrl(settings.data.apiBaseUrl, `bot${credentials.data.botToken}/answerCallbackQuery`),
      headers: {},
      body: { callback_query_id: id },
    }, 5_000);
    if (answer.status !== 200) problems.push(`answerCallbackQuery ${id}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
  }
  return problems;
}
