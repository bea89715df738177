import { formatPath } from '@signalbox/nodes';
import { classifyMetaSend } from '../meta/messaging-errors.ts';
import { renderMetaMessage, type MetaSendProfile } from '../meta/messaging-render.ts';
import { sendCalls, type OutboundAdapter } from '../outbound.ts';
import { InstagramConfig } from './config.ts';

/**
 * Instagram's Send API takes text of at most 1000 UTF-8 bytes ("Message text must be UTF-8 and be a 1000 bytes
 * or less", Instagram Messaging → Send a Message), and attachments by URL without Messenger's `is_reusable`.
 */
const INSTAGRAM: MetaSendProfile = { platformName: 'Instagram', textMax: 1000, textUnit: 'bytes', reusableAttachments: false };

/**
 * Replies through `POST {apiBaseUrl}/me/messages`. `me` is the Page for a Page access token and the Instagram
 * account for an Instagram Login token, so one path serves both ways of connecting an account.
 *
 * Limits: Meta's Messenger Platform rate-limit page gives 300 Send API calls per second per Instagram
 * professional account for text, links, reactions and stickers (10 for audio and video); earlier Instagram
 * messaging docs gave 100. The sender paces at the lower, 100 messages a second, leaving room for the second
 * call of a captioned media message; throttling answers (613, 80002) are retried after the time Meta names.
 */
export const instagramOutbound: OutboundAdapter = {
  type: 'instagram',
  limits: { perAccount: { messages: 100, perMs: 1000 } },
  render(message, context) {
    const config = InstagramConfig.safeParse(context.config);
    if (!config.success) {
      return { ok: false, error: `invalid Instagram channel settings: ${config.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}` };
    }
    const token = context.secrets.pageAccessToken;
    if (!token) return { ok: false, error: 'the Instagram channel has no pageAccessToken' };
    return renderMetaMessage(message, context, INSTAGRAM, {
      apiBaseUrl: config.data.apiBaseUrl,
      path: '/me/messages',
      pageAccessToken: token,
      humanAgentTag: config.data.humanAgentTag,
    });
  },
  send: (calls) => sendCalls(calls, classifyMetaSend),
};
