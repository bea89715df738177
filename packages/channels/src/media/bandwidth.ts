import { BandwidthConfig } from '../bandwidth/config.ts';
import { BandwidthTokens } from '../bandwidth/outbound.ts';
import { MediaLookupError, platformHost, settings, webUrl, type MediaResolver, type MediaSource } from './source.ts';

/**
 * Bandwidth Messaging: inbound MMS media arrive as URLs on the Messaging API
 * (`https://messaging.bandwidth.com/api/v2/users/{accountId}/media/{mediaId}`), readable only with the account's
 * API credentials: an OAuth bearer token (client credentials, as for sending) or, for legacy API users, HTTP
 * Basic. Bandwidth keeps them for a limited time, so they are copied on arrival. Credentials go only to
 * Bandwidth's own hosts.
 */
const tokens = new BandwidthTokens();

export const bandwidthMedia: MediaResolver = async (content, context): Promise<MediaSource | null> => {
  if (!content.url) return null;
  const url = webUrl(content.url, 'bandwidth');
  const config = settings(BandwidthConfig, context.config, 'bandwidth');
  if (!platformHost(url, config.apiBaseUrl, 'bandwidth.com')) return { url: url.toString(), headers: {} };
  const { clientId, clientSecret, apiUsername, apiPassword } = context.secrets;
  if (clientId && clientSecret) {
    const token = await tokens.get({ tokenUrl: config.tokenUrl, clientId, clientSecret }, new Date());
    if (!token.ok) throw new MediaLookupError(`bandwidth: ${token.result.ok ? 'no token' : token.result.error}`);
    return { url: url.toString(), headers: { authorization: `Bearer ${token.accessToken}` } };
  }
  if (apiUsername && apiPassword) {
    return { url: url.toString(), headers: { authorization: `Basic ${Buffer.from(`${apiUsername}:${apiPassword}`).toString('base64')}` } };
  }
  throw new MediaLookupError('bandwidth: the channel has no API client ID / secret (or legacy API username / password) to fetch media with');
};
