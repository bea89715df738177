import { z } from 'zod';
import { parseRetryAfter, type DeliveryResult } from '../delivery.ts';
import { classifyDefault, type PlatformAnswer } from '../outbound.ts';

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

const GraphError = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.coerce.number().optional(),
    error_subcode: z.coerce.number().optional(),
    error_data: z.looseObject({ details: z.string().optional() }).optional(),
    fbtrace_id: z.string().optional(),
    is_transient: z.boolean().optional(),
  }),
});
type GraphError = z.infer<typeof GraphError>['error'];

const SendAnswer = z.looseObject({ messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1) });

const BusinessUseCaseUsage = z.record(z.string(), z.array(z.looseObject({ estimated_time_to_regain_access: z.number().optional() })));

export function classifyWhatsappSend(answer: PlatformAnswer): DeliveryResult {
  if (answer.status >= 200 && answer.status < 300) {
    const sent = SendAnswer.safeParse(answer.json);
    return { ok: true, externalId: sent.success ? (sent.data.messages[0]?.id ?? null) : null };
  }
  const parsed = GraphError.safeParse(answer.json);
  if (answer.status === 0 || !parsed.success || parsed.data.error.code === undefined) {
    return classifyDefault(answer, (a) => (parsed.success ? (parsed.data.error.message ?? a.text) : a.text).slice(0, 300));
  }
  const error = parsed.data.error;
  const code = error.code ?? 0;
  const reason = describe(error);
  const throttleWait = THROTTLE_WAIT_MS.get(code);
  if (throttleWait !== undefined) return { ok: false, retry: true, retryAfterMs: announcedWait(answer.headers) ?? throttleWait, error: reason };
  if (TRANSIENT_WAIT_MS.has(code) || error.is_transient === true || answer.status >= 500) {
    return { ok: false, retry: true, retryAfterMs: parseRetryAfter(answer.headers['retry-after']) ?? TRANSIENT_WAIT_MS.get(code), error: reason };
  }
  return { ok: false, retry: false, error: reason };
}

/** `<code>[/<subcode>]: <message> (<details>) (fbtrace_id …)`: the code first, as the sender's error strings are. */
function describe(error: GraphError): string {
  const code = error.error_subcode === undefined ? `${error.code}` : `${error.code}/${error.error_subcode}`;
  const message = error.message ?? error.type ?? 'Graph API error';
  const details = error.error_data?.details && error.error_data.details !== message ? ` (${error.error_data.details})` : '';
  const trace = error.fbtrace_id ? ` (fbtrace_id ${error.fbtrace_id})` : '';
  return `${code}: ${message}${details}${trace}`;
}

/** `Retry-After`, else the longest `estimated_time_to_regain_access` (minutes) in `X-Business-Use-Case-Usage`. */
function announcedWait(headers: PlatformAnswer['headers']): number | undefined {
  const retryAfter = parseRetryAfter(headers['retry-after']);
  if (retryAfter !== undefined) return retryAfter;
  const minutes = regainAccessMinutes(headers['x-business-use-case-usage']);
  return minutes > 0 ? minutes * 60_000 : undefined;
}

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
