import { formatPath } from '@signalbox/nodes';
import { sendCalls, type OutboundAdapter } from '../outbound.ts';
import { WhatsappConfig } from './config.ts';
import { renderWhatsappMessage } from './render.ts';
import { classifyWhatsappSend } from './send-errors.ts';

/**
 * Replies through the Cloud API, `POST {apiBaseUrl}/{phoneNumberId}/messages` with the access token as a Bearer
 * token. The Cloud API takes no idempotency key: a send that timed out after Meta accepted it may arrive twice.
 *
 * Limits (Meta's throughput guide): 80 messages a second per business phone number by default (up to 1,000 after
 * Meta's automatic upgrade; 20 for numbers shared with the WhatsApp Business app), inbound included; past it the
 * API answers 130429, which is retried. The pair rate limit (about one message every 6 seconds to one customer,
 * with bursts of up to 45 borrowed from later, error 131056) is not paced here: a limiter at one per 6 seconds
 * would hold back every multi-part answer that the burst allowance lets through at once, and a fixed window cannot
 * model the borrowing. Conversations stay far below it; 131056 is retried after a minute when a loop is not.
 */
export const whatsappOutbound: OutboundAdapter = {
  type: 'whatsapp',
  limits: { perAccount: { messages: 80, perMs: 1000 } },
  render(message, context) {
    const config = WhatsappConfig.safeParse(context.config);
    if (!config.success) {
      return { ok: false, error: `invalid WhatsApp channel settings: ${config.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}` };
    }
    const accessToken = context.secrets.accessToken;
    if (!accessToken) return { ok: false, error: 'the WhatsApp channel has no accessToken' };
    const { apiBaseUrl, phoneNumberId, listButtonLabel } = config.data;
    return renderWhatsappMessage(message, context, { apiBaseUrl, phoneNumberId, accessToken, listButtonLabel });
  },
  send: (calls) => sendCalls(calls, classifyWhatsappSend),
};
