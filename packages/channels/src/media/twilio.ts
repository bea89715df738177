import { TwilioConfig } from '../twilio/config.ts';
import { MediaLookupError, platformHost, settings, webUrl, type MediaResolver, type MediaSource } from './source.ts';

/**
 * Twilio (Media subresource): `MediaUrl{N}` is `https://api.twilio.com/2010-04-01/Accounts/AC…/Messages/MM…/Media/ME…`.
 * Twilio can enforce HTTP Basic auth on media URLs (an API key and secret, or the Account SID and auth token),
 * so the credentials go with the GET — only to Twilio's own hosts. The URL answers with a redirect to a signed
 * storage address; the downloader follows it and drops the Authorization header on the way (other origin).
 */
export const twilioMedia: MediaResolver = async (content, context): Promise<MediaSource | null> => {
  if (!content.url) return null;
  const url = webUrl(content.url, 'twilio');
  const config = settings(TwilioConfig, context.config, 'twilio');
  if (!platformHost(url, config.apiBaseUrl, 'twilio.com')) return { url: url.toString(), headers: {} };
  const { apiKeySid, apiKeySecret, authToken } = context.secrets;
  const [user, password] = apiKeySid && apiKeySecret ? [apiKeySid, apiKeySecret] : [config.accountSid, authToken];
  if (!password) throw new MediaLookupError('twilio: the channel has no auth token (or API key) to fetch media with');
  return { url: url.toString(), headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } };
};
