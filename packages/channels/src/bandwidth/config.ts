import { z } from 'zod';
import { maxSegments, messagesPerSecond } from '../sms/config.ts';

/** A Bandwidth Messaging (SMS / MMS, group MMS) channel: one Bandwidth number on one messaging application. */
export const BandwidthConfig = z.object({
  apiBaseUrl: z
    .string()
    .url()
    .default('https://messaging.bandwidth.com')
    .meta({ title: 'API base URL', description: "Bandwidth's Messaging API; change only for a proxy." }),
  tokenUrl: z
    .string()
    .url()
    .default('https://api.bandwidth.com/api/v1/oauth2/token')
    .meta({ title: 'OAuth token URL', description: "Where API credentials (client ID / secret) are exchanged for a bearer token." }),
  accountId: z
    .string()
    .min(1)
    .meta({ title: 'Account ID', description: 'Your 7-digit Bandwidth account ID, as shown in the Bandwidth App.' }),
  applicationId: z
    .string()
    .min(1)
    .meta({ title: 'Messaging application ID', description: 'The messaging application the number belongs to; its callback URL must be this channel\'s webhook URL.' }),
  from: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'the Bandwidth number in E.164, like +15550001111')
    .meta({ title: 'From number', description: 'The Bandwidth number replies are sent from, in E.164.' }),
  messagesPerSecond: messagesPerSecond("Send rate of this channel. Bandwidth's default account rate is 1 message per second; raise it to what Bandwidth enabled for you."),
  maxSegments,
});
export type BandwidthConfig = z.infer<typeof BandwidthConfig>;

export const BandwidthSecrets = z
  .object({
    clientId: z.string().min(1).optional().meta({ title: 'API client ID', description: 'An API credential (Account > API Credentials) with the Messaging role.' }),
    clientSecret: z.string().min(1).optional().meta({ title: 'API client secret', description: "The API credential's secret." }),
    apiUsername: z
      .string()
      .min(1)
      .optional()
      .meta({ title: 'Legacy API username', description: 'A legacy API user, used only without a client ID. Bandwidth retires API users on 2 December 2026.' }),
    apiPassword: z.string().min(1).optional().meta({ title: 'Legacy API password', description: "The legacy API user's password." }),
    callbackUsername: z
      .string()
      .min(1)
      .meta({ title: 'Callback username', description: "The Basic auth username set on the messaging application's callback; Bandwidth sends it with every webhook." }),
    callbackPassword: z.string().min(1).meta({ title: 'Callback password', description: 'The Basic auth password set on the callback.' }),
  })
  .refine((secrets) => (secrets.clientId && secrets.clientSecret) || (secrets.apiUsername && secrets.apiPassword), {
    message: 'give an API client ID and secret (or a legacy API username and password)',
    path: ['clientId'],
  });
export type BandwidthSecrets = z.infer<typeof BandwidthSecrets>;

export const bandwidthSetup = { config: BandwidthConfig, secrets: BandwidthSecrets };
