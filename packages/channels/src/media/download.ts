import type { MessageContent } from '@signalbox/nodes';
import { bandwidthMedia } from './bandwidth.ts';
import { lineMedia } from './line.ts';
import { linkedMedia } from './linked.ts';
import { telegramMedia } from './telegram.ts';
import { twilioMedia } from './twilio.ts';
import { whatsappMedia } from './whatsapp.ts';
import type { MediaContent, MediaContext, MediaResolver, MediaSource } from './source.ts';

export { MediaLookupError, type MediaContent, type MediaContext, type MediaSource } from './source.ts';

/**
 * How to download a customer's media from each platform, by `channel.type`. Types not listed are not fetched:
 * the generic webhook, MQTT and the WebSocket API carry URLs of the shop's own systems, web chat files are the
 * runner's own already, and email attachments arrive with the mail (the ingress stores their bytes before the event).
 */
const RESOLVERS: Readonly<Record<string, MediaResolver>> = {
  whatsapp: whatsappMedia,
  telegram: telegramMedia,
  line: lineMedia,
  twilio: twilioMedia,
  bandwidth: bandwidthMedia,
  messenger: linkedMedia,
  instagram: linkedMedia,
  chatwoot: linkedMedia,
};

/**
 * Where to GET one media item of a message on a channel of `type`, with the headers to send; null when there
 * is nothing to fetch. Throws `MediaLookupError` when the platform will not say (unknown id, not ready, refused).
 */
export function mediaDownload(type: string, content: MediaContent, context: MediaContext): Promise<MediaSource | null> {
  const resolve = Object.hasOwn(RESOLVERS, type) ? RESOLVERS[type] : undefined;
  return resolve ? resolve(content, context) : Promise.resolve(null);
}

/** Whether the platform of a channel type keeps media Signalbox should copy. */
export function fetchesMedia(type: string): boolean {
  return Object.hasOwn(RESOLVERS, type);
}

export function isMediaContent(content: MessageContent): content is MediaContent {
  switch (content.type) {
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
    case 'sticker':
      return true;
    default:
      return false;
  }
}
