import { z } from 'zod';

/**
 * A shop already on Chatwoot puts Signalbox flows in front of its inboxes: Chatwoot posts its account webhook
 * (or agent-bot) events here, and flows answer through Chatwoot's Application API as an agent bot or agent.
 * Chatwoot is self-hosted as often as not, so there is no default base URL. Only zod here, so the web app can
 * build the settings form from it.
 */
export const ChatwootConfig = z.object({
  apiBaseUrl: z.string().url().meta({
    title: 'Chatwoot URL',
    description: 'Where your Chatwoot answers, without /api (https://app.chatwoot.com for Chatwoot Cloud, or your own installation).',
  }),
  accountId: z.number().int().positive().meta({
    title: 'Account id',
    description: 'The number after /app/accounts/ in Chatwoot\'s address bar.',
  }),
  interactiveOptions: z.boolean().default(true).meta({
    title: 'Send buttons as Chatwoot options',
    description:
      'Buttons and lists become option messages (input_select), which the website widget, API, WhatsApp and Telegram inboxes show. Turn off for inboxes that cannot (SMS, LINE, email): choices then go as numbered lines of text.',
  }),
});
export type ChatwootConfig = z.infer<typeof ChatwootConfig>;

export const ChatwootSecrets = z.object({
  apiAccessToken: z.string().min(1).meta({
    title: 'API access token',
    description: 'The agent bot\'s token (Settings → Bots) or an agent\'s (Profile settings → Access token); sent as the api_access_token header.',
  }),
  webhookSecret: z.string().min(1).optional().meta({
    title: 'Webhook secret',
    description: 'The secret Chatwoot shows for the webhook: it signs each delivery (X-Chatwoot-Signature over the timestamp and body).',
  }),
  webhookToken: z.string().min(16).optional().meta({
    title: 'Webhook URL token',
    description: 'For Chatwoot versions that do not sign webhooks: add ?token=<this value> to the webhook URL you paste into Chatwoot.',
  }),
});
export type ChatwootSecrets = z.infer<typeof ChatwootSecrets>;

export const chatwootSetup = { config: ChatwootConfig, secrets: ChatwootSecrets };
