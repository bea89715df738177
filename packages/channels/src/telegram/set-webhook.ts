import type { ChannelSecrets } from '../adapter.ts';
import { apiUrl, performCall } from '../outbound.ts';
import { BotApiAnswer, classifyTelegramAnswer } from './answers.ts';
import { TelegramConfig, TelegramSecrets } from './config.ts';

/**
 * Points the bot's webhook at Signalbox: `setWebhook` (https://core.telegram.org/bots/api#setwebhook) with the
 * channel's secret token, which Telegram then sends in `X-Telegram-Bot-Api-Secret-Token` on every update.
 * Telegram keeps one webhook per bot: registering replaces any earlier one (and stops getUpdates polling).
 */

/**
 * The updates the inbound adapter gives a meaning to. Listing them also turns on `message_reaction`, which
 * Telegram sends only when asked for by name; the rest (membership changes, polls, inline mode) stay off.
 */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'callback_query', 'message_reaction'] as const;

/** Ports Telegram delivers webhooks to (setWebhook notes). */
const WEBHOOK_PORTS: ReadonlySet<string> = new Set(['443', '80', '88', '8443']);

export type WebhookRegistration = { ok: true; description: string } | { ok: false; retry: boolean; error: string };

export async function registerTelegramWebhook(config: Readonly<Record<string, unknown>>, secrets: ChannelSecrets, webhookUrl: string): Promise<WebhookRegistration> {
  const settings = TelegramConfig.safeParse(config);
  if (!settings.success) return { ok: false, retry: false, error: `config.${fieldIssues(settings.error.issues)}` };
  const credentials = TelegramSecrets.safeParse(secrets);
  if (!credentials.success) return { ok: false, retry: false, error: `secrets.${fieldIssues(credentials.error.issues)}` };
  const urlProblem = webhookUrlProblem(webhookUrl);
  if (urlProblem) return { ok: false, retry: false, error: `webhookUrl: ${urlProblem}` };

  const answer = await performCall({
    method: 'POST',
    url: apiUrl(settings.data.apiBaseUrl, `bot${credentials.data.botToken}/setWebhook`),
    headers: { 'content-type': 'application/json' },
    body: {
      url: webhookUrl,
      secret_token: credentials.data.secretToken,
      allowed_updates: TELEGRAM_ALLOWED_UPDATES,
      // Updates that waited while the webhook moved are still customers' messages.
      drop_pending_updates: false,
    },
  });
  const result = classifyTelegramAnswer(answer);
  if (!result.ok) return { ok: false, retry: result.retry, error: result.error };
  const body = BotApiAnswer.safeParse(answer.json);
  return { ok: true, description: (body.success ? body.data.description : undefined) ?? 'Webhook was set' };
}

function fieldIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`).join('; ');
}

function webhookUrlProblem(webhookUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:') return 'Telegram only delivers webhooks over HTTPS';
  const port = url.port || '443';
  return WEBHOOK_PORTS.has(port) ? null : `Telegram only delivers webhooks to ports 443, 80, 88 and 8443, not ${port}`;
}
