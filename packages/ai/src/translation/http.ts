import { TranslationError, type TranslationErrorKind } from './errors.ts';
import { parseRetryAfter } from './retry.ts';

/** A provider's answer, read in full, for the provider's own classifier. */
export interface ProviderAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface PostOptions {
  provider: string;
  headers?: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * POSTs a JSON body and reads the whole answer within `timeoutMs` (headers and body together). Failures that
 * happen before an answer become typed errors: `timeout`, or `unavailable` when the provider cannot be reached.
 * The URL is never put in an error message: Google's carries the API key.
 */
export async function postJson(url: string, options: PostOptions): Promise<ProviderAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: JSON.stringify(options.body),
      signal,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: parseJson(text) };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw new TranslationError('timeout', options.provider, `no complete answer within ${options.timeoutMs} ms`);
    }
    throw new TranslationError('unavailable', options.provider, `cannot reach ${hostOf(url)}: ${describeNetworkError(error)}`);
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
}

/** `fetch failed` says nothing; the cause (ECONNREFUSED, ENOTFOUND, a TLS error) says what to fix. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = 'code' in cause ? cause.code : undefined;
    return typeof code === 'string' ? `${code} ${cause.message}` : cause.message;
  }
  return error.message;
}

/**
 * The kind most providers' HTTP statuses mean; each provider refines it from its documented error bodies
 * (DeepL's 456, Google's 403 reasons, OpenAI's `insufficient_quota`).
 */
export function kindFromStatus(status: number): TranslationErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'bad_request';
}

/** Builds the typed error for a non-2xx answer, with the provider's message and its `Retry-After`. */
export function answerError(provider: string, answer: ProviderAnswer, kind: TranslationErrorKind, message: string | undefined): TranslationError {
  const providerMessage = message?.trim() || fallbackMessage(answer);
  return new TranslationError(kind, provider, providerMessage, { status: answer.status, retryAfterMs: parseRetryAfter(answer.headers) });
}

function fallbackMessage(answer: ProviderAnswer): string {
  const snippet = answer.text.trim().slice(0, 200);
  return snippet ? `HTTP ${answer.status}: ${snippet}` : `HTTP ${answer.status}`;
}

/** Joins a configured base URL and a path without doubling or losing the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
