import { z } from 'zod';
import { apiUrl } from '../outbound.ts';
import { LineConfig } from '../line/config.ts';
import { lookup, MediaLookupError, settings, webUrl, type MediaResolver } from './source.ts';

/**
 * LINE Messaging API: content a user sent (`contentProvider.type: "line"`, normalized as `mediaId` = the message
 * id) is at `GET {dataApiBaseUrl}/v2/bot/message/{messageId}/content` with the channel access token. Video and
 * audio are transcoded first: `GET …/content/transcoding` answers `{ status: processing | succeeded | failed }`,
 * and content fetched while `processing` comes back empty or cut, so it is not fetched then. Content from an
 * external provider (normalized as `url` only) is fetched from that URL, without our token and over HTTPS only:
 * the address is someone else's.
 */
const Transcoding = z.looseObject({ status: z.string() });

export const lineMedia: MediaResolver = async (content, context) => {
  if (!content.mediaId) {
    if (!content.url) return null;
    const url = webUrl(content.url, 'line');
    if (url.protocol !== 'https:') throw new MediaLookupError('line: an external provider URL must be https');
    return { url: url.toString(), headers: {} };
  }
  const config = settings(LineConfig, context.config, 'line');
  const token = context.secrets.channelAccessToken;
  if (!token) throw new MediaLookupError('line: the channel has no channel access token');
  const headers = { authorization: `Bearer ${token}` };
  const path = `v2/bot/message/${encodeURIComponent(content.mediaId)}/content`;
  if (content.type === 'video' || content.type === 'audio') {
    const answer = await lookup('LINE', apiUrl(config.dataApiBaseUrl, `${path}/transcoding`), headers, context.signal);
    const transcoding = Transcoding.safeParse(answer.json);
    // Any other answer (an older message, an endpoint change) leaves it to the download to tell.
    if (answer.status === 200 && transcoding.success && transcoding.data.status === 'processing') throw new MediaLookupError(`LINE is still preparing the ${content.type}`);
    if (answer.status === 200 && transcoding.success && transcoding.data.status === 'failed') throw new MediaLookupError(`LINE could not prepare the ${content.type}`);
  }
  return { url: apiUrl(config.dataApiBaseUrl, path), headers };
};
