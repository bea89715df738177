import { z } from 'zod';

/** An Instagram channel: one Instagram professional account's direct messages, through Meta's Send API. */
export const InstagramConfig = z.object({
  apiBaseUrl: z
    .string()
    .url()
    .default('https://graph.facebook.com/v21.0')
    .meta({
      title: 'Graph API base URL',
      description:
        "Meta's Graph API with its version: graph.facebook.com for accounts linked to a Facebook Page (Page access token), graph.instagram.com for Instagram Login tokens.",
    }),
  instagramAccountId: z
    .string()
    .min(1)
    .meta({ title: 'Instagram account ID', description: 'The Instagram professional account whose messages this channel answers; webhook entries carry it as entry.id.' }),
  humanAgentTag: z
    .boolean()
    .default(false)
    .meta({
      title: 'Human agent replies up to 7 days',
      description:
        "Send replies later than 24 hours after the customer's last message with Meta's HUMAN_AGENT tag (up to 7 days). Only for replies people write: Meta requires the Human Agent permission and penalizes automated use.",
    }),
});
export type InstagramConfig = z.infer<typeof InstagramConfig>;

export const InstagramSecrets = z.object({
  appSecret: z.string().min(1).meta({ title: 'App secret', description: "The Meta app's secret (App settings → Basic); checks the X-Hub-Signature-256 of every webhook." }),
  verifyToken: z
    .string()
    .min(1)
    .meta({ title: 'Verify token', description: "Any string you choose; paste the same into the webhook setup in Meta's App Dashboard." }),
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
