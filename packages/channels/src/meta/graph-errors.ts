import { z } from 'zod';
import { parseRetryAfter, type DeliveryResult } from '../delivery.ts';
import { classifyDefault, type PlatformAnswer } from '../outbound.ts';

/**
 * Graph API error answers, shared by the WhatsApp Cloud API and the Messenger / Instagram Send API:
 * `{ error: { message, type, code, error_subcode, error_data: { details }, fbtrace_id, is_transient } }`, usually
 * with HTTP 400 even for throttling, so the code decides, not the status. Each API names its own throttling and
 * passing-trouble codes (with the wait each deserves); everything else is permanent.
 */
export interface GraphErrorPolicy {
  /** Throttling codes and the wait when Meta names none (`Retry-After` / `X-Business-Use-Case-Usage` win). */
  throttleWaitMs: ReadonlyMap<number, number>;
  /** Passing-trouble codes, with a wait or none. `is_transient` and 5xx count too. */
  transientWaitMs: ReadonlyMap<number, number | undefined>;
}

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

const BusinessUseCaseUsage = z.record(z.string(), z.array(z.looseObject({ estimated_time_to_regain_access: z.number().optional() })));

/** Classifies one answer; `externalIdOf` reads the platform's message id from a success body. */
export function classifyGraphSend(answer: PlatformAnswer, policy: GraphErrorPolicy, externalIdOf: (json: unknown) => string | null): DeliveryResult {
  if (answer.status >= 200 && answer.status < 300) return { ok: true, externalId: externalIdOf(answer.json) };
  const parsed = GraphError.safeParse(answer.json);
  if (answer.status === 0 || !parsed.success || parsed.data.error.code === undefined) {
    return classifyDefault(answer, (a) => (parsed.success ? (parsed.data.error.message ?? a.text) : a.text).slice(0, 300));
  }
  const error = parsed.data.error;
  const code = error.code ?? 0;
  const reason = describe(error);
  const throttleWait = policy.throttleWaitMs.get(code);
  if (throttleWait !== undefined) return { ok: false, retry: true, retryAfterMs: announcedWait(answer.headers) ?? throttleWait, error: reason };
  if (policy.transientWaitMs.has(code) || error.is_transient === true || answer.status >= 500) {
    return { ok: false, retry: true, retryAfterMs: parseRetryAfter(answer.headers['retry-after']) ?? policy.transientWaitMs.get(code), error: reason };
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
