import { z } from 'zod';
import { apiUrl } from '../outbound.ts';
import { TelegramConfig } from '../telegram/config.ts';
import { lookup, MediaLookupError, reasonOf, settings, type MediaResolver } from './source.ts';

/**
 * Telegram Bot API: `getFile` (https://core.telegram.org/bots/api#getfile) turns a `file_id` into a
 * `file_path`; the bytes are at `{apiBaseUrl}/file/bot<token>/<file_path>`, a link valid for at least an hour.
 * Bots can download files up to 20 MB; getFile refuses larger ones ("file is too big"). The link carries the
 * bot token, so neither it nor anything built from it is logged.
 */
const FileAnswer = z.looseObject({
  ok: z.boolean(),
  result: z.looseObject({ file_path: z.string().min(1).optional(), file_size: z.number().int().nonnegative().optional() }).optional(),
  description: z.string().optional(),
});

export const telegramMedia: MediaResolver = async (content, context) => {
  if (!content.mediaId) return null;
  const config = settings(TelegramConfig, context.config, 'telegram');
  const token = context.secrets.botToken;
  if (!token) throw new MediaLookupError('telegram: the channel has no bot token');
  const answer = await lookup('Telegram', apiUrl(config.apiBaseUrl, `bot${token}/getFile?file_id=${encodeURIComponent(content.mediaId)}`), {}, context.signal);
  const body = FileAnswer.safeParse(answer.json);
  if (answer.status !== 200 || !body.success || !body.data.ok) {
    throw new MediaLookupError(`Telegram getFile: HTTP ${answer.status}: ${reasonOf(answer, body.success ? body.data.description : undefined)}`);
  }
  const filePath = body.data.result?.file_path;
  if (!filePath) throw new MediaLookupError('Telegram getFile: the answer has no file_path');
  const size = body.data.result?.file_size;
  return { url: apiUrl(config.apiBaseUrl, `file/bot${token}/${filePath}`), headers: {}, ...(size !== undefined ? { size } : {}) };
};
