import { formatPath } from '@signalbox/nodes';
import { classifyMetaSend } from '../meta/messaging-errors.ts';
import { renderMetaMessage, type MetaSendProfile } from '../meta/messaging-render.ts';
import { sendCalls, type OutboundAdapter } from '../outbound.ts';
import { MessengerConfig } from './config.ts';

/** Send API text: 2000 characters (Messenger's text message reference); attachments by URL, cached for reuse. */
const MESSENGER: MetaSendProfile = { platformName: 'Messenger', textMax: 2000, textUnit: 'characters', reusableAttachments: true };

/**
 * Replies through `POST {apiBaseUrl}/{pageId}/messages` with the Page access token. Naming the Page in the path
 * (rather than `/me`) makes a token of another Page fail loudly instead of sending from the wrong Page.
 *
 * Limits (Messenger Platform rate limits, developers.facebook.com/…/messenger-platform/overview/rate-limiting):
 * 300 Send API calls per second per Page for text, links, reactions and stickers, 10 per second for audio and
 * video, and a rolling 24-hour budget of 200 calls × engaged users. The sender paces at 250 messages a second,
 * below the ceiling because a message may take two calls (media, then caption); Meta's throttling answers (613,
 * 80006) are retried after the time it names. Meta publishes no per-thread number ("may be rate limited if too
 * many messages are sent to a single thread"), so none is set here.
 */
export const messengerOutbound: OutboundAdapter = {
  type: 'messenger',
  limits: { perAccount: { messages: 250, perMs: 1000 } },
  render(message, context) {
    const config = MessengerConfig.safeParse(context.config);
    if (!config.success) {
      return { ok: false, error: `invalid Messenger channel settings: ${config.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}` };
    }
    const token = context.secrets.pageAccessToken;
    if (!token) return { ok: false, error: 'the Messenger channel has no pageAccessToken' };
    return renderMetaMessage(message, context, MESSENGER, {
      apiBaseUrl: config.data.apiBaseUrl,
      path: `/${encodeURIComponent(config.data.pageId)}/messages`,
      pageAccessToken: token,
      humanAgentTag: config.data.humanAgentTag,
    });
  },
  send: (calls) => sendCalls(calls, classifyMetaSend),
};
