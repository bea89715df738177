import { z } from 'zod';
import type { DeliveryResult } from '../delivery.ts';
import type { PlatformAnswer } from '../outbound.ts';
import { classifyGraphSend, type GraphErrorPolicy } from './graph-errors.ts';

/**
 * Reads the Send API's answers. Success is `{ recipient_id, message_id }`; failures are Graph API errors
 * `{ error: { message, type, code, error_subcode, fbtrace_id, is_transient } }`, usually with HTTP 400 even for
 * throttling, so the code decides, not the status.
 *
 * - Throttling: 4 (app), 17 (account), 32 (page), 341 (application limit), 613 (calls to this API exceeded the
 *   rate limit), and the Business Use Case limits 80006 (Messenger) and 80002 (Instagram). Retried after the time Meta names in
 *   `X-Business-Use-Case-Usage.estimated_time_to_regain_access` (minutes) or `Retry-After`, else a minute.
 * - Passing trouble: 1 (unknown), 2 (service), 1200 (temporary send message failure), `is_transient`, 5xx.
 * - Everything else is permanent: 551 (this person isn't available right now), 10 with subcode 2018278
 *   (sent outside the allowed window) and other permissions, 100 (invalid parameter), 190 (access token), 200-299
 *   (permissions), and 368 (temporarily blocked for policy violations: Graph's guide says wait, but the block
 *   lasts hours to days, beyond any send retry, and needs a person to look).
 */
export const THROTTLING_CODES: ReadonlySet<number> = new Set([4, 17, 32, 341, 613, 80002, 80006]);
export const TRANSIENT_CODES: ReadonlySet<number> = new Set([1, 2, 1200]);
/** When Meta throttles without naming a time: its counters move on per minute at the finest. */
const DEFAULT_THROTTLE_WAIT_MS = 60_000;

const POLICY: GraphErrorPolicy = {
  throttleWaitMs: new Map([...THROTTLING_CODES].map((code) => [code, DEFAULT_THROTTLE_WAIT_MS])),
  transientWaitMs: new Map([...TRANSIENT_CODES].map((code) => [code, undefined])),
};

const SendAnswer = z.looseObject({ message_id: z.string().min(1) });

export function classifyMetaSend(answer: PlatformAnswer): DeliveryResult {
  return classifyGraphSend(answer, POLICY, (json) => {
    const sent = SendAnswer.safeParse(json);
    return sent.success ? sent.data.message_id : null;
  });
}
