import { z } from 'zod';
import type { DeliveryResult } from '../delivery.ts';
import type { PlatformAnswer } from '../outbound.ts';
import { classifyGraphSend } from '../meta/graph-errors.ts';

/**
 * Reads the Cloud API's answers to `POST /{phoneNumberId}/messages`. Success is
 * `{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id }] }`: `messages[0].id` (a wamid) is the id
 * status webhooks refer to later. Failures are Graph API errors
 * `{ error: { message, type, code, error_subcode, error_data: { messaging_product, details }, fbtrace_id } }`;
 * Meta says to decide on `code` (and `details`), never on the title or the HTTP status.
 *
 * From Meta's Cloud API error-code reference and throughput guide:
 * - Throttling, retried: 4 (app's Graph API call rate), 80007 (WhatsApp Business Account rate limit), 130429
 *   (the phone number's throughput, 80 messages a second by default), 131056 (pair rate: too many messages to the
 *   same customer; about one every 6 seconds, bursts borrow from later), 131048 (spam rate limit: sends restricted
 *   for the number's quality). Meta names no wait in the body; `Retry-After` or `X-Business-Use-Case-Usage` win when
 *   present, otherwise each code's own wait below.
 * - Passing trouble, retried: 1 (unknown), 2 (service temporarily unavailable), 131000 (something went wrong),
 *   131016 (service unavailable), 131057 (number in maintenance during a throughput upgrade), `is_transient`, 5xx,
 *   network errors.
 * - Everything else is permanent, among them 131047 (re-engagement: more than 24 hours since the customer wrote),
 *   131026 (undeliverable: not on WhatsApp, old client, terms not accepted), 100 (invalid parameter), 190 (access
 *   token expired or invalid), 131051 (unsupported message type), 132xxx (template errors).
 */
const THROTTLE_WAIT_MS: ReadonlyMap<number, number> = new Map([
  // App call rate and WABA rate limits are counted over an hour; a minute lets the sender probe again.
  [4, 60_000],
  [80007, 60_000],
  // Per-second throughput: the next seconds free up quickly.
  [130429, 2_000],
  // One message per 6 s per customer, with bursts borrowed from later: a burst's debt takes about a minute.
  [131056, 60_000],
  // Restricted for spam signals: give it time rather than hammer a number already under watch.
  [131048, 10 * 60_000],
]);
const TRANSIENT_WAIT_MS: ReadonlyMap<number, number | undefined> = new Map([
  [1, undefined],
  [2, undefined],
  [131000, undefined],
  [131016, undefined],
  // A throughput upgrade takes the number offline for up to a minute.
  [131057, 60_000],
]);

const SendAnswer = z.looseObject({ messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1) });

export function classifyWhatsappSend(answer: PlatformAnswer): DeliveryResult {
  return classifyGraphSend(answer, { throttleWaitMs: THROTTLE_WAIT_MS, transientWaitMs: TRANSIENT_WAIT_MS }, (json) => {
    const sent = SendAnswer.safeParse(json);
    return sent.success ? (sent.data.messages[0]?.id ?? null) : null;
  });
}
