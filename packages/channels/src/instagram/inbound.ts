import type { InboundAdapter } from '../adapter.ts';
import { normalizeMetaMessaging, type MetaMessagingPlatform } from '../meta/messaging.ts';
import { metaHandshake, verifyMetaSignature } from '../meta/webhook.ts';

const INSTAGRAM: MetaMessagingPlatform = { channelType: 'instagram', object: 'instagram' };

/**
 * Instagram direct messages through Meta's webhook (`{ object: "instagram", entry: [...] }`): the same handshake,
 * signature and messaging items as Messenger, plus unsends (`is_deleted`), story replies and shared reels.
 * Secrets: `appSecret`, `verifyToken`.
 */
export const instagramInbound: InboundAdapter = {
  type: 'instagram',
  handshake: metaHandshake,
  verify: verifyMetaSignature,
  normalize: ({ body, now }) => Promise.resolve(normalizeMetaMessaging(body, now, INSTAGRAM)),
};
