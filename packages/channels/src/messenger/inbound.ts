import type { InboundAdapter } from '../adapter.ts';
import { normalizeMetaMessaging, type MetaMessagingPlatform } from '../meta/messaging.ts';
import { metaHandshake, verifyMetaSignature } from '../meta/webhook.ts';

const MESSENGER: MetaMessagingPlatform = { channelType: 'messenger', object: 'page' };

/**
 * Facebook Messenger (a Page's inbox) through Meta's webhook: the `hub.challenge` handshake, X-Hub-Signature-256
 * with the app secret, and `{ object: "page", entry: [...] }` bodies. Secrets: `appSecret`, `verifyToken`.
 * Meta retries a webhook it could not deliver for a while and then disables the subscription, so every body that
 * parses is accepted; what has no meaning here becomes an `unsupported` event.
 */
export const messengerInbound: InboundAdapter = {
  type: 'messenger',
  handshake: metaHandshake,
  verify: verifyMetaSignature,
  normalize: ({ body, now }) => Promise.resolve(normalizeMetaMessaging(body, now, MESSENGER)),
};
