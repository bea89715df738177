import { z } from 'zod';

/** A LINE channel: one LINE Official Account answered through the Messaging API. */
export const LineConfig = z.object({
  apiBaseUrl: z
    .string()
    .url()
    .default('https://api.line.me')
    .meta({ title: 'API base URL', description: "LINE's Messaging API host for sending (push messages). Change it only to point tests at a stand-in." }),
  dataApiBaseUrl: z
    .string()
    .url()
    .default('https://api-data.line.me')
    .meta({
      title: 'Content API base URL',
      description: "LINE's host for the content customers send (images, video, audio, files), fetched by message id. Change it only to point tests at a stand-in.",
    }),
});
export type LineConfig = z.infer<typeof LineConfig>;

export const LineSecrets = z.object({
  channelSecret: z
    .string()
    .min(1)
    .meta({ title: 'Channel secret', description: 'LINE Developers Console → your Messaging API channel → Basic settings → Channel secret; checks the X-Line-Signature of every webhook.' }),
  channelAccessToken: z
    .string()
    .min(1)
    .meta({
      title: 'Channel access token',
      description: 'LINE Developers Console → Messaging API tab → Channel access token (long-lived); sends replies and fetches the content customers send.',
    }),
});
export type LineSecrets = z.infer<typeof LineSecrets>;

export const lineSetup = { config: LineConfig, secrets: LineSecrets };
