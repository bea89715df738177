import { z } from 'zod';
import { maxSegments, messagesPerSecond } from '../sms/config.ts';

/**
 * A Twilio Programmable Messaging channel: SMS / MMS from a Twilio number or Messaging Service, and WhatsApp
 * through Twilio (customers' ids then carry Twilio's `whatsapp:` prefix, and replies go out with it).
 */
export const TwilioConfig = z
  .object({
    apiBaseUrl: z
      .string()
      .url()
      .default('https://api.twilio.com')
      .meta({ title: 'API base URL', description: "Twilio's REST API; change only for a proxy or a regional edge." }),
    accountSid: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID is AC followed by 32 hex digits')
      .meta({ title: 'Account SID', description: 'From the Twilio Console (AC…); the account the messages are sent from.' }),
    from: z
      .string()
      .min(1)
      .optional()
      .meta({
        title: 'From number',
        description:
          'The sending number in E.164 (+15550001111), or whatsapp:+15550001111. Replies to WhatsApp customers get the whatsapp: prefix either way. Leave empty when a Messaging Service sends.',
      }),
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'a Messaging Service SID is MG followed by 32 hex digits')
      .optional()
      .meta({ title: 'Messaging Service SID', description: 'MG…; when set, Twilio picks the sender from the service (and the From number is not sent).' }),
    statusCallbackUrl: z
      .string()
      .url()
      .optional()
      .meta({
        title: 'Status callback URL',
        description: "This channel's webhook URL, sent with every message so Twilio reports delivered / read / failed. Not needed when the Messaging Service already has one.",
      }),
    contentSids: z
      .record(z.string(), z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'a Content SID is HX followed by 32 hex digits'))
      .default({})
      .meta({
        title: 'WhatsApp templates',
        description:
          'Template name (or name:language) to its approved Content SID (HX…). WhatsApp needs one to write first or after 24 hours; templates without one go out as their fallback text.',
      }),
    messagesPerSecond: messagesPerSecond(
      "Send rate of this channel. A US long code sends about 1 per second; 10DLC, toll-free and short codes more (see your number's throughput in Twilio).",
    ),
    maxSegments,
  })
  .refine((config) => config.from !== undefined || config.messagingServiceSid !== undefined, {
    message: 'give a From number or a Messaging Service SID',
    path: ['from'],
  });
export type TwilioConfig = z.infer<typeof TwilioConfig>;

export const TwilioSecrets = z.object({
  authToken: z
    .string()
    .min(1)
    .meta({ title: 'Auth token', description: "The account's primary auth token: checks X-Twilio-Signature on webhooks, and signs API calls unless an API key is given." }),
  apiKeySid: z
    .string()
    .regex(/^SK[0-9a-fA-F]{32}$/, 'an API key SID is SK followed by 32 hex digits')
    .optional()
    .meta({ title: 'API key SID', description: 'Optional SK… key for sending, so the auth token can be rotated apart from it.' }),
  apiKeySecret: z.string().min(1).optional().meta({ title: 'API key secret', description: "The API key's secret." }),
});
export type TwilioSecrets = z.infer<typeof TwilioSecrets>;

export const twilioSetup = { config: TwilioConfig, secrets: TwilioSecrets };
