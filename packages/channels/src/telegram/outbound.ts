import { sendCalls, type OutboundAdapter } from '../outbound.ts';
import { classifyTelegramAnswer } from './answers.ts';
import { renderTelegram } from './render.ts';

/**
 * Telegram's send side. Limits from the Bot FAQ (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
 * about 30 messages a second per bot, no more than one a second in one chat (short bursts tolerated, then 429),
 * and no more than 20 a minute in one group, which the per-recipient limit cannot express: group replies rely
 * on the 429 retry with `retry_after` past that pace.
 */
export const telegramOutbound: OutboundAdapter = {
  type: 'telegram',
  limits: {
    perAccount: { messages: 30, perMs: 1000 },
    perRecipient: { messages: 1, perMs: 1000 },
  },
  render: renderTelegram,
  send: (calls) => sendCalls(calls, classifyTelegramAnswer),
};
