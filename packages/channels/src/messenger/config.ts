import { z } from 'zod';
import { graphApiBaseUrl, humanAgentTag, metaWebhookSecrets } from '../meta/config.ts';

/** A Messenger channel: one Facebook Page answered through Meta's Send API. */
export const MessengerConfig = z.object({
  apiBaseUrl: graphApiBaseUrl(),
  pageId: z
    .string()
    .min(1)
    .meta({ title: 'Page ID', description: 'The Facebook Page whose Messenger inbox this channel answers (Page settings → About → Page ID); webhook entries carry it as entry.id.' }),
  humanAgentTag,
});
export type MessengerConfig = z.infer<typeof MessengerConfig>;

export const MessengerSecrets = z.object({
  ...metaWebhookSecrets,
  pageAccessToken: z
    .string()
    .min(1)
    .meta({ title: 'Page access token', description: 'A Page access token with pages_messaging, used to send replies (a long-lived or system-user token).' }),
});
export type MessengerSecrets = z.infer<typeof MessengerSecrets>;

export const messengerSetup = { config: MessengerConfig, secrets: MessengerSecrets };
