/**
 * What can go wrong when asking for a translation, in the terms a flow (or an operator) acts on:
 * - `not_configured`: the workspace has no translation provider; nothing was sent anywhere.
 * - `rate_limited`: the provider asked us to slow down (retried while its wait is short; `retryAfterMs` when it said).
 * - `quota`: the account's character/budget quota is used up; retrying does not help until it resets.
 * - `auth`: the key is missing, wrong, or not allowed to use this API.
 * - `bad_request`: the provider (or our own validation) refused the request as written.
 * - `unavailable`: the provider could not be reached or failed on its side (5xx); retried.
 * - `timeout`: no complete answer within the configured time.
 * - `bad_response`: the provider answered 2xx but not with what its API (or our prompt) promises.
 */
export const translationErrorKinds = [
  'not_configured',
  'rate_limited',
  'quota',
  'auth',
  'bad_request',
  'unavailable',
  'timeout',
  'bad_response',
] as const;

export type TranslationErrorKind = (typeof translationErrorKinds)[number];

export interface TranslationErrorDetails {
  /** The HTTP status the provider answered with, when there was an answer. */
  status?: number;
  /** How long the provider asked us to wait before trying again. */
  retryAfterMs?: number;
}

export class TranslationError extends Error {
  override readonly name = 'TranslationError';
  readonly kind: TranslationErrorKind;
  /** The provider's name (`deepl`, `google`, …), or `translator` for errors raised before any provider. */
  readonly provider: string;
  /** The provider's own words, without our prefix, so an operator can search its documentation for them. */
  readonly providerMessage: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(kind: TranslationErrorKind, provider: string, providerMessage: string, details: TranslationErrorDetails = {}) {
    super(`${provider}: ${providerMessage}`);
    this.kind = kind;
    this.provider = provider;
    this.providerMessage = providerMessage;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}

export function isTranslationError(error: unknown): error is TranslationError {
  return error instanceof TranslationError;
}

export const NOT_CONFIGURED_MESSAGE = 'no translation provider is configured';
