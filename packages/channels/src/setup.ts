import { z } from 'zod';
import { bandwidthSetup } from './bandwidth/config.ts';
import { chatwootSetup } from './chatwoot/config.ts';
import { emailSetup } from './email/config.ts';
import { instagramSetup } from './instagram/config.ts';
import { lineSetup } from './line/config.ts';
import { messengerSetup } from './messenger/config.ts';
import { mqttSetup } from './mqtt/config.ts';
import { telegramSetup } from './telegram/config.ts';
import { twilioSetup } from './twilio/config.ts';
import { whatsappSetup } from './whatsapp/config.ts';

/**
 * What each channel type needs to be set up: its non-secret settings and its credentials as zod schemas (the
 * web app builds the settings form from them; the API validates with them), and how the platform reaches us.
 * Only zod here, so the browser can import it (`@signalbox/channels/setup`).
 */
export interface ChannelTypeInfo {
  type: string;
  title: string;
  description: string;
  config: z.ZodObject;
  secrets: z.ZodObject;
  /** How events arrive: a webhook to paste into the platform's console, a socket, a broker, polling. */
  inbound: 'webhook' | 'socket' | 'broker' | 'polling';
  /** Secrets the product generates when left empty (verify tokens, webhook secrets). */
  generated: readonly string[];
  /** What to do in the platform's console, shown beside the webhook URL. */
  instructions: string;
  /** Signalbox points the platform's webhook at itself when the channel is saved (Telegram). */
  registersWebhook?: boolean;
}

const title = (t: string, description?: string) => ({ title: t, ...(description ? { description } : {}) });

export const webhookSetup = {
  config: z.object({
    callbackUrl: z.string().url().meta(title('Callback URL', 'Where Signalbox POSTs replies (signed with the channel secret).')),
  }),
  secrets: z.object({
    secret: z.string().min(16).meta(title('Signing secret', 'HMAC-SHA256 key for X-Signalbox-Signature, both ways.')),
  }),
};

export const webchatSetup = {
  config: z.object({}),
  secrets: z.object({}),
};

const catalog: ChannelTypeInfo[] = [
  {
    type: 'whatsapp',
    title: 'WhatsApp',
    description: 'WhatsApp Business through Meta\'s Cloud API.',
    ...whatsappSetup,
    inbound: 'webhook',
    generated: ['verifyToken'],
    instructions:
      'In the Meta app dashboard, under WhatsApp > Configuration, paste the webhook URL and the verify token, then subscribe to the "messages" field.',
  },
  {
    type: 'messenger',
    title: 'Facebook Messenger',
    description: 'Messages to your Facebook Page.',
    ...messengerSetup,
    inbound: 'webhook',
    generated: ['verifyToken'],
    instructions:
      'In the Meta app dashboard, under Messenger > Settings, paste the webhook URL and the verify token, then subscribe the Page to messages, messaging_postbacks, message_deliveries, message_reads and message_reactions.',
  },
  {
    type: 'instagram',
    title: 'Instagram',
    description: 'Direct messages to your Instagram professional account.',
    ...instagramSetup,
    inbound: 'webhook',
    generated: ['verifyToken'],
    instructions: 'In the Meta app dashboard, under Instagram > Webhooks, paste the webhook URL and the verify token, then subscribe to messages.',
  },
  {
    type: 'telegram',
    title: 'Telegram',
    description: 'A Telegram bot made with @BotFather.',
    ...telegramSetup,
    inbound: 'webhook',
    generated: ['secretToken'],
    registersWebhook: true,
    instructions: 'Create a bot with @BotFather and paste its token below. Signalbox registers the webhook with Telegram when you save (it needs an HTTPS public URL).',
  },
  {
    type: 'line',
    title: 'LINE',
    description: 'A LINE Official Account through the Messaging API.',
    ...lineSetup,
    inbound: 'webhook',
    generated: [],
    instructions: 'In the LINE Developers Console, under Messaging API, paste the webhook URL, turn on "Use webhook" and press Verify.',
  },
  {
    type: 'twilio',
    title: 'Twilio (SMS, WhatsApp)',
    description: 'SMS, MMS and WhatsApp through a Twilio number or messaging service.',
    ...twilioSetup,
    inbound: 'webhook',
    generated: [],
    instructions:
      'In the Twilio console, set the number\'s "A message comes in" webhook (HTTP POST) and its status callback to the webhook URL. Behind a proxy, PUBLIC_URL must be the address Twilio calls: it signs that URL.',
  },
  {
    type: 'bandwidth',
    title: 'Bandwidth (SMS)',
    description: 'SMS and MMS through a Bandwidth messaging application.',
    ...bandwidthSetup,
    inbound: 'webhook',
    generated: ['callbackUsername', 'callbackPassword'],
    instructions: 'Set the messaging application\'s callback URL to the webhook URL, with basic authentication using the callback user name and password below.',
  },
  {
    type: 'email',
    title: 'Email',
    description: 'A support mailbox: IMAP or an inbound-mail webhook in, SMTP out.',
    ...emailSetup,
    inbound: 'webhook',
    generated: ['webhookSecret'],
    instructions:
      'Either give the IMAP settings below (Signalbox polls the mailbox), or point your mail provider\'s inbound-mail webhook at the webhook URL with the raw message (message/rfc822) as the body.',
  },
  {
    type: 'chatwoot',
    title: 'Chatwoot',
    description: 'Put Signalbox flows in front of a Chatwoot inbox (agent bot).',
    ...chatwootSetup,
    inbound: 'webhook',
    generated: ['webhookToken'],
    instructions: 'In Chatwoot, add an agent bot (or an account webhook) whose URL is the webhook URL, and connect it to the inbox.',
  },
  {
    type: 'mqtt',
    title: 'MQTT',
    description: 'Devices and systems that talk through an MQTT broker.',
    ...mqttSetup,
    inbound: 'broker',
    generated: [],
    instructions: 'Publish customer messages as JSON (the generic webhook\'s body) to the inbound topic; replies are published to the outbound topic.',
  },
  {
    type: 'webhook',
    title: 'Generic webhook',
    description: 'Any system that can POST JSON and receive a signed callback.',
    ...webhookSetup,
    inbound: 'webhook',
    generated: ['secret'],
    instructions: 'POST messages to the webhook URL, signed with X-Signalbox-Signature: sha256=<HMAC of the body>.',
  },
  {
    type: 'websocket',
    title: 'WebSocket API',
    description: 'Custom clients on one WebSocket: messages in, every reply out.',
    config: z.object({}),
    secrets: webhookSetup.secrets,
    inbound: 'socket',
    generated: ['secret'],
    instructions: 'Connect to the WebSocket URL with the secret as a bearer token (or ?token=) and send the generic webhook\'s message body as JSON.',
  },
  {
    type: 'webchat',
    title: 'Web chat',
    description: "A chat bubble on the shop's own site: one script tag.",
    ...webchatSetup,
    inbound: 'socket',
    generated: [],
    instructions: 'Paste the script tag into your site. The chat page link lets you try the bot right away.',
  },
];

export const CHANNEL_TYPES: readonly ChannelTypeInfo[] = catalog;

export function channelTypeInfo(type: string): ChannelTypeInfo | undefined {
  return catalog.find((c) => c.type === type);
}

/** A random secret (verify tokens, signing secrets): 192 bits, base64url (Telegram's secret-token alphabet). */
export function generateSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
