import { z } from 'zod';

/** A Telegram channel: one bot (made with @BotFather), receiving updates by webhook and answering through the Bot API. */
export const TelegramConfig = z.object({
  apiBaseUrl: z
    .string()
    .url()
    .default('https://api.telegram.org')
    .meta({
      title: 'Bot API base URL',
      description: 'Telegram\'s Bot API server. Change it only for a self-hosted Bot API server or to point tests at a stand-in.',
    }),
});
export type TelegramConfig = z.infer<typeof TelegramConfig>;

/** Telegram's own rule for `secret_token` (setWebhook): 1-256 characters of A-Z, a-z, 0-9, `_` and `-`. */
export const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

export const TelegramSecrets = z.object({
  botToken: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, { error: 'a bot token looks like 123456789:AAE…, as @BotFather gives it' })
    .meta({ title: 'Bot token', description: 'The token @BotFather gave for the bot (/newbot or /token). It sends replies and registers the webhook.' }),
  secretToken: z
    .string()
    .regex(SECRET_TOKEN_PATTERN, { error: 'Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and -' })
    .meta({
      title: 'Webhook secret token',
      description:
        'Sent by Telegram in the X-Telegram-Bot-Api-Secret-Token header of every update, so forged calls are refused. Leave empty to have one generated.',
    }),
});
export type TelegramSecrets = z.infer<typeof TelegramSecrets>;

export const telegramSetup = { config: TelegramConfig, secrets: TelegramSecrets };
