import { z } from 'zod';
import { graphApiBaseUrl, humanAgentTag, metaWebhookSecrets } from '../meta/config.ts';

/** An Instagram channel: one Instagram professional account's direct messages, through Meta's Send API. */
export const InstagramConfig = z.object({
  apiBaseUrl: graphApiBaseUrl(
    "Meta's Graph API with its version: graph.facebook.com for accounts linked to a Facebook Page (Page access token), graph.instagram.com for Instagram Login tokens.",
  ),
  instagramAccountId: z
    .string()
    .min(1)
    .meta({ title: 'Instagram account ID', description: 'The Instagram professional account whose messages this channel answers; webhook entries carry it as entry.id.' }),
  humanAgentTag,
});
export type InstagramConfig = z.infer<typeof InstagramConfig>;

export const InstagramSecrets = z.object({
  ...metaWebhookSecrets,
  pageAccessToken: z
    .string()
    .min(1)
    .meta({
      title: 'Access token',
      description: 'The Page access token of the Page linked to the account (instagram_manage_messages), or an Instagram Login token with instagram_business_manage_messages.',
    }),
});
export type InstagramSecrets = z.infer<typeof InstagramSecrets>;

export const instagramSetup = { config: InstagramConfig, secrets: InstagramSecrets };
