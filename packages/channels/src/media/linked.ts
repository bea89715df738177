import { webUrl, type MediaResolver } from './source.ts';

/**
 * Platforms that hand out a plain link: Messenger and Instagram (`attachments[].payload.url`, a Meta CDN address
 * that expires after a while) and Chatwoot (`data_url`, an ActiveStorage address that redirects to the file).
 * No credentials are needed or sent.
 */
export const linkedMedia: MediaResolver = async (content) => {
  if (!content.url) return null;
  return { url: webUrl(content.url, 'media link').toString(), headers: {} };
};
