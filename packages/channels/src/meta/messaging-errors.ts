import { z } from 'zod';
import { parseRetryAfter, type DeliveryResult } from '../delivery.ts';
import { classifyDefault, type PlatformAnswer } from '../outbound.ts';

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

const GraphError = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    fbtrace_id: z.string().optional(),
    is_transient: z.boolean().optional(),
  }),
});
type GraphError = z.infer<typeof GraphError>['error'];

const SendAnswer = z.looseObject({ message_id: z.string().min(1) });

const BusinessUseCaseUsage = z.record(z.string(), z.array(z.looseObject({ estimated_time_to_regain_access: z.number().optional() })));

export function classifyMetaSend(answer: PlatformAnswer): DeliveryResult {
  if (answer.status >= 200 && answer.status < 300) {
    const sent = SendAnswer.safeParse(answer.json);
    return { ok: true, externalId: sent.success ? sent.data.message_id : null };
  }
  const parsed = GraphError.safeParse(answer.json);
  if (answer.status === 0 || !parsed.success || parsed.data.error.code === undefined) {
    return classifyDefault(answer, (a) => (parsed.success ? (parsed.data.error.message ?? a.text) : a.text).slice(0, 300));
  }
  const error = parsed.data.error;
  const code = error.code ?? 0;
  const reason = describe(error);
  if (THROTTLING_CODES.has(code)) return { ok: false, retry: true, retryAfterMs: throttleWait(answer.headers), error: reason };
  if (TRANSIENT_CODES.has(code) || error.is_transient === true || answer.status >= 500) {
    return { ok: false, retry: true, retryAfterMs: parseRetryAfter(answer.headers['retry-after']), error: reason };
  }
  return { ok: false, retry: false, error: reason };
}

/** `<code>[/<subcode>]: <message> (fbtrace_id …)`: the code first, as the sender's error strings are. */
function describe(error: GraphError): string {
  const code = error.error_subcode === undefined ? `${error.code}` : `${error.code}/${error.error_subcode}`;
  const trace = error.fbtrace_id ? ` (fbtrace_id ${error.fbtrace_id})` : '';
  return `${code}: ${error.message ?? error.type ?? 'Graph API error'}${trace}`;
}

function throttleWait(headers: PlatformAnswer['headers']): number {
  const retryAfter = parseRetryAfter(headers['retry-after']);
  if (retryAfter !== undefined) return retryAfter;
  const minutes = regainAccessMinutes(headers['x-business-use-case-usage']);
  return minutes > 0 ? minutes * 60_000 : DEFAULT_THROTTLE_WAIT_MS;
}

/** The longest `estimated_time_to_regain_access` (minutes) across the header's business use cases; 0 when none. */
function regainAccessMinutes(header: string | undefined): number {
  if (!header) return 0;
  let json: unknown;
  try {
    json = JSON.parse(header);
  } catch {
    return 0;
  }
  const usage = BusinessUseCaseUsage.safeParse(json);
  if (!usage.success) return 0;
  return Math.max(0, ...Object.values(usage.data).flatMap((cases) => cases.map((c) => c.estimated_time_to_regain_access ?? 0)));
}
