import { formatPath } from '@signalbox/nodes';
import { sendCalls, type OutboundAdapter } from '../outbound.ts';
import { LineConfig } from './config.ts';
import { classifyLinePush } from './push-answers.ts';
import { renderLineMessage } from './render.ts';

/**
 * Replies through LINE's push API with the channel access token and an `X-Line-Retry-Key` derived from the
 * outbox row, so a send retried after a timeout or a 5xx is never shown twice. Push rather than reply: a reply
 * token expires within minutes and works once, while flows answer later (timers, people in the inbox).
 *
 * Limits (Messaging API reference, "Rate limits"): the push endpoint takes 2,000 requests per second per
 * channel. LINE also answers 429 to "a large number of messages sent to the same user" without a number, so no
 * per-recipient limit is set; such a 429 is retried like the rate limit.
 */
export const lineOutbound: OutboundAdapter = {
  type: 'line',
  limits: { perAccount: { messages: 2000, perMs: 1000 } },
  render(message, context) {
    const config = LineConfig.safeParse(context.config);
    if (!config.success) {
      return { ok: false, error: `invalid LINE channel settings: ${config.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}` };
    }
    const token = context.secrets.channelAccessToken;
    if (!token) return { ok: false, error: 'the LINE channel has no channelAccessToken' };
    return renderLineMessage(message, context, { apiBaseUrl: config.data.apiBaseUrl, channelAccessToken: token });
  },
  send: (calls) => sendCalls(calls, classifyLinePush),
};
