import { z } from 'zod';
import { apiUrl } from '../outbound.ts';
import { WhatsappConfig } from '../whatsapp/config.ts';
import { lookup, MediaLookupError, reasonOf, settings, webUrl, type MediaResolver } from './source.ts';

/**
 * WhatsApp Cloud API (Graph API "Retrieve media URL"): `GET {apiBaseUrl}/{media-id}` with the access token
 * answers `{ url, mime_type, sha256, file_size, id }`; the `url` (a lookaside.fbsbx.com address) is good for
 * 5 minutes and is downloaded with the same Bearer header. The media id itself stays valid for 30 days, which is
 * why the content keeps `mediaId` after the copy is made.
 */
const MediaInfo = z.looseObject({
  url: z.string().min(1),
  mime_type: z.string().optional(),
  // Documented as a number, answered as a string by some versions.
  file_size: z.union([z.number(), z.string()]).optional(),
});
const GraphError = z.looseObject({ error: z.looseObject({ message: z.string().optional(), code: z.number().optional() }) });

export const whatsappMedia: MediaResolver = async (content, context) => {
  if (!content.mediaId) return null;
  const config = settings(WhatsappConfig, context.config, 'whatsapp');
  const token = context.secrets.accessToken;
  if (!token) throw new MediaLookupError('whatsapp: the channel has no access token');
  const headers = { authorization: `Bearer ${token}` };
  const answer = await lookup('WhatsApp', apiUrl(config.apiBaseUrl, encodeURIComponent(content.mediaId)), headers, context.signal);
  if (answer.status !== 200) {
    const error = GraphError.safeParse(answer.json);
    throw new MediaLookupError(`WhatsApp media lookup: HTTP ${answer.status}: ${reasonOf(answer, error.success ? error.data.error.message : undefined)}`);
  }
  const info = MediaInfo.safeParse(answer.json);
  if (!info.success) throw new MediaLookupError('WhatsApp media lookup: the answer has no url');
  const size = Number(info.data.file_size);
  return {
    url: webUrl(info.data.url, 'whatsapp').toString(),
    headers,
    mimeType: info.data.mime_type,
    ...(Number.isFinite(size) && size >= 0 ? { size } : {}),
  };
};
