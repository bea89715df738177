import { z } from 'zod';
import { graphApiBaseUrl, metaWebhookSecrets } from '../meta/config.ts';

/** A WhatsApp channel: one business phone number on Meta's WhatsApp Cloud API. */
export const WhatsappConfig = z.object({
  apiBaseUrl: graphApiBaseUrl(),
  phoneNumberId: z
    .string()
    .min(1)
    .meta({
      title: 'Phone number ID',
      description: 'The business phone number replies are sent from (WhatsApp Manager → API Setup → Phone number ID); not the phone number itself.',
    }),
  wabaId: z
    .string()
    .min(1)
    .optional()
    .meta({ title: 'WhatsApp Business Account ID', description: 'The WABA the phone number belongs to; webhook entries carry it as entry.id. Optional, for reference.' }),
  listButtonLabel: z
    .string()
    .min(1)
    .max(20)
    .default('Options')
    .meta({
      title: 'Label of the choices button',
      description: 'When a reply offers 4 to 10 choices, WhatsApp shows them behind a button with this label (at most 20 characters). Write it in your customers\' language.',
    }),
});
export type WhatsappConfig = z.infer<typeof WhatsappConfig>;

export const WhatsappSecrets = z.object({
  ...metaWebhookSecrets,
  accessToken: z
    .string()
    .min(1)
    .meta({
      title: 'Access token',
      description: 'A system-user access token with whatsapp_business_messaging for this phone number (temporary tokens from API Setup expire after 24 hours).',
    }),
});
export type WhatsappSecrets = z.infer<typeof WhatsappSecrets>;

export const whatsappSetup = { config: WhatsappConfig, secrets: WhatsappSecrets };
