import { z } from 'zod';

/** A Messenger channel: one Facebook Page answered through Meta's Send API. */
export const MessengerConfig = z.object({
  apiBaseUrl: z
    .string()
    .url()
    .default('https://graph.facebook.com/v21.0')
    .meta({ title: 'Graph API base URL', description: "Meta's Graph API with its version. Change it to move to a newer API version or to point tests at a stand-in." }),
  pageId: z
    .string()
    .min(1)
    .meta({ title: 'Page ID', description: 'The Facebook Page whose Messenger inbox this channel answers (Page settings → About → Page ID); webhook entries carry it as entry.id.' }),
  humanAgentTag: z
    .boolean()
    .default(false)
    .meta({
      title: 'Human agent replies up to 7 days',
      description:
        "Send replies later than 24 hours after the customer's last message with Meta's HUMAN_AGENT tag (up to 7 days). Only for replies people write: Meta requires the Human Agent permission and penalizes automated use.",
    }),
});
export type MessengerConfig = z.infer<typeof MessengerConfig>;

export const MessengerSecrets = z.object({
  appSecret: z.string().min(1).meta({ title: 'App secret', description: "The Meta app's secret (App settings → Basic); checks the X-Hub-Signature-256 of every webhook." }),
  verifyToken: z
    .string()
    .min(1)
    .meta({ title: 'Verify token', description: "Any string you choose; paste the same into the webhook setup in Meta's App Dashboard." }),
  pageAccessToken: z
    .string()
    .min(1)
    .meta({ title: 'Page access token', description: 'A Page access token with pages_messaging, used to send replies (a long-lived or system-user token).' }),
});
export type MessengerSecrets = z.infer<typeof MessengerSecrets>;

export const messengerSetup = { config: MessengerConfig, secrets: MessengerSecrets };
