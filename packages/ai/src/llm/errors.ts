import { isTranslationError, type TranslationErrorKind } from '../translation/errors.ts';

/** What can go wrong asking the LLM: the provider error kinds of translation/errors.ts (rate_limited, auth, timeout, …). */
export type LlmErrorKind = TranslationErrorKind;

/** Why `answerWithLlm` fails when the process has no LLM settings; the llm-answer node's error port shows it. */
export const NO_LLM_MESSAGE = 'no LLM provider is set: set LLM_BASE_URL and LLM_MODEL';

export class LlmError extends Error {
  override readonly name = 'LlmError';
  readonly kind: LlmErrorKind;
  /** The provider's own words, so an operator can search its documentation for them. */
  readonly providerMessage: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(kind: LlmErrorKind, providerMessage: string, details: { status?: number | undefined; retryAfterMs?: number | undefined } = {}) {
    super(`${kind}: ${providerMessage}`);
    this.kind = kind;
    this.providerMessage = providerMessage;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** The shared chat client fails with the package's provider errors; the LLM's callers see `LlmError`s. */
export function toLlmError(error: unknown): unknown {
  if (!isTranslationError(error)) return error;
  return new LlmError(error.kind, error.providerMessage, { status: error.status, retryAfterMs: error.retryAfterMs });
}
