import { z } from 'zod';

/**
 * Settings every Meta channel (WhatsApp Cloud, Messenger, Instagram) shares: the Graph API it talks to, the app
 * secret its webhooks are signed with, the verify token of the webhook handshake, and Messenger-platform's
 * human-agent tag.
 */
export const GRAPH_API_BASE_URL = 'https://graph.facebook.com/v21.0';

export const graphApiBaseUrl = (description = "Meta's Graph API with its version. Change it to move to a newer API version or to point tests at a stand-in.") =>
  z.string().url().default(GRAPH_API_BASE_URL).meta({ title: 'Graph API base URL', description });

export const metaWebhookSecrets = {
  appSecret: z.string().min(1).meta({ title: 'App secret', description: "The Meta app's secret (App settings → Basic); checks the X-Hub-Signature-256 of every webhook." }),
  verifyToken: z
    .string()
    .min(1)
    .meta({ title: 'Verify token', description: "Any string you choose; paste the same into the webhook setup in Meta's App Dashboard." }),
};

export const humanAgentTag = z
  .boolean()
  .default(false)
  .meta({
    title: 'Human agent replies up to 7 days',
    description:
      "Send replies later than 24 hours after the customer's last message with Meta's HUMAN_AGENT tag (up to 7 days). Only for replies people write: Meta requires the Human Agent permission and penalizes automated use.",
  });
