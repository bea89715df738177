import type { InboundEvent } from '@signalbox/nodes';
import type { ChannelSecrets, InboundAdapter } from './adapter.ts';
import type { OutboundAdapter } from './outbound.ts';
import { bandwidthInbound } from './bandwidth/inbound.ts';
import { chatwootInbound } from './chatwoot/inbound.ts';
import { emailInbound } from './email/inbound.ts';
import { instagramInbound } from './instagram/inbound.ts';
import { lineInbound } from './line/inbound.ts';
import { messengerInbound } from './messenger/inbound.ts';
import { telegramInbound } from './telegram/inbound.ts';
import { twilioInbound } from './twilio/inbound.ts';
import { webhookInbound } from './webhook/inbound.ts';
import { bandwidthOutbound } from './bandwidth/outbound.ts';
import { chatwootOutbound } from './chatwoot/outbound.ts';
import { emailOutbound } from './email/outbound.ts';
import { instagramOutbound } from './instagram/outbound.ts';
import { lineOutbound } from './line/outbound.ts';
import { messengerOutbound } from './messenger/outbound.ts';
import { telegramOutbound } from './telegram/outbound.ts';
import { answerTelegramCallbacks } from './telegram/callbacks.ts';
import { registerTelegramWebhook, type WebhookRegistration } from './telegram/set-webhook.ts';
import { twilioOutbound } from './twilio/outbound.ts';
import { whatsappOutbound } from './whatsapp/outbound.ts';
import { whatsappInbound } from './whatsapp/inbound.ts';

/** Every channel type whose platform calls the ingress over HTTP, by `channel.type`. */
export const inboundAdapters: Readonly<Record<string, InboundAdapter>> = Object.freeze(
  Object.fromEntries(
    [webhookInbound, whatsappInbound, messengerInbound, instagramInbound, telegramInbound, lineInbound, twilioInbound, bandwidthInbound, emailInbound, chatwootInbound].map((a) => [a.type, a]),
  ),
);

export function inboundAdapter(type: string): InboundAdapter | undefined {
  return Object.hasOwn(inboundAdapters, type) ? inboundAdapters[type] : undefined;
}

export const INBOUND_CHANNEL_TYPES = Object.keys(inboundAdapters);

/** Every channel type the sender delivers to through a platform API, by `channel.type`. */
export const outboundAdapters: Readonly<Record<string, OutboundAdapter>> = Object.freeze(
  Object.fromEntries(
    [whatsappOutbound, messengerOutbound, instagramOutbound, telegramOutbound, lineOutbound, twilioOutbound, bandwidthOutbound, emailOutbound, chatwootOutbound].map((a) => [a.type, a]),
  ),
);

export function outboundAdapter(type: string): OutboundAdapter | undefined {
  return Object.hasOwn(outboundAdapters, type) ? outboundAdapters[type] : undefined;
}

/**
 * Work a platform expects right after its events are stored (Telegram: answer a pressed button's callback
 * query). Returns problems to log; never throws.
 */
export const afterAccept: Readonly<Record<string, (events: readonly InboundEvent[], config: Readonly<Record<string, unknown>>, secrets: ChannelSecrets) => Promise<string[]>>> = {
  telegram: answerTelegramCallbacks,
};

/** Platforms whose webhook Signalbox registers itself (Telegram has no console for it). */
export const webhookRegistrars: Readonly<Record<string, (config: Readonly<Record<string, unknown>>, secrets: ChannelSecrets, webhookUrl: string) => Promise<WebhookRegistration>>> = {
  telegram: registerTelegramWebhook,
};
