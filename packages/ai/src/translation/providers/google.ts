import { decodeHTML } from 'entities';
import { z } from 'zod';
import { TranslationError, type TranslationErrorKind } from '../errors.ts';
import { answerError, joinUrl, kindFromStatus, postJson, type ProviderAnswer } from '../http.ts';
import { baseLanguage, isTraditionalChinese, languageSubtags } from '../languages.ts';
import { createProvider, type ProviderTransport, type TranslationProvider, type TransportResult } from '../provider.ts';
import { retryPolicySchema, withRetry } from '../retry.ts';

/**
 * Google Cloud Translation — Basic (v2): `POST /language/translate/v2?key=…` with a JSON body
 * (https://cloud.google.com/translate/docs/reference/rest/v2/translate).
 */
export const GOOGLE_TRANSLATE_URL = 'https://translation.googleapis.com';

export const googleTranslateSettingsSchema = z.object({
  provider: z.literal('google'),
  apiKey: z.string().trim().min(1, 'the Google Cloud API key is required'),
  baseUrl: z.url({ protocol: /^https?$/ }).default(GOOGLE_TRANSLATE_URL),
  /** `nmt` (neural) or `base` (phrase-based, where still offered); Google picks when unset. */
  model: z.enum(['nmt', 'base']).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
  /** Google takes at most 128 texts per request. */
  maxBatch: z.number().int().min(1).max(128).default(128),
  retry: retryPolicySchema.prefault({}),
});

export type GoogleTranslateSettings = z.output<typeof googleTranslateSettingsSchema>;

/** Google's codes: `zh-CN` / `zh-TW` for Chinese, `pt-PT` for European Portuguese (`pt` is Brazilian). */
export function googleLanguage(code: string): string {
  const base = baseLanguage(code);
  if (base === 'zh') return isTraditionalChinese(code) ? 'zh-TW' : 'zh-CN';
  if (base === 'pt' && languageSubtags(code).includes('PT')) return 'pt-PT';
  return base;
}

/** Google still answers some legacy codes (`iw` Hebrew, `jw` Javanese). */
function fromGoogleLanguage(code: string): string {
  const base = baseLanguage(code);
  if (base === 'iw') return 'he';
  if (base === 'jw') return 'jv';
  return base;
}

const googleAnswerSchema = z.object({
  data: z.object({
    translations: z.array(z.object({ translatedText: z.string(), detectedSourceLanguage: z.string().optional() })),
  }),
});

const googleErrorSchema = z.object({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    errors: z.array(z.looseObject({ reason: z.string().optional() })).optional(),
    details: z.array(z.looseObject({ reason: z.string().optional() })).optional(),
  }),
});

export function createGoogleTranslateProvider(settings: GoogleTranslateSettings): TranslationProvider {
  const url = `${joinUrl(settings.baseUrl, '/language/translate/v2')}?key=${encodeURIComponent(settings.apiKey)}`;
  const transport: ProviderTransport = {
    name: 'google',
    maxBatch: settings.maxBatch,
    // Google recommends at most 5,000 characters per request.
    maxChars: 5_000,
    glossaryMarkup: 'html',
    markedOutput: 'html',
    send: (batch, signal) =>
      withRetry(
        async () => {
          const body: Record<string, unknown> = {
            q: batch.texts,
            target: googleLanguage(batch.target),
            format: batch.marked ? 'html' : 'text',
          };
          if (batch.source) body.source = googleLanguage(batch.source);
          if (settings.model) body.model = settings.model;
          const answer = await postJson(url, { provider: 'google', body, timeoutMs: settings.timeoutMs, signal });
          return readGoogleAnswer(answer, batch.marked);
        },
        settings.retry,
        signal,
      ),
  };
  return createProvider(transport);
}

function readGoogleAnswer(answer: ProviderAnswer, marked: boolean): TransportResult[] {
  if (answer.status < 200 || answer.status >= 300) throw googleError(answer);
  const parsed = googleAnswerSchema.safeParse(answer.json);
  if (!parsed.success) throw new TranslationError('bad_response', 'google', 'the answer has no "data.translations" list');
  return parsed.data.data.translations.map((item) => {
    // Even with format=text, v2 answers with HTML entities (&#39;, &quot;); marked (HTML) text is decoded later,
    // around the protected terms.
    const text = marked ? item.translatedText : decodeHTML(item.translatedText);
    return item.detectedSourceLanguage ? { text, detectedSource: fromGoogleLanguage(item.detectedSourceLanguage) } : { text };
  });
}

/**
 * Google's error body is `{ error: { code, message, status, errors: [{ reason }] } }`. Quotas answer 403 with
 * "Daily Limit Exceeded" (`dailyLimitExceeded`) or "User Rate Limit Exceeded" (per minute); a wrong key answers
 * 400 "API key not valid" (`API_KEY_INVALID`).
 */
function googleError(answer: ProviderAnswer): TranslationError {
  const parsed = googleErrorSchema.safeParse(answer.json);
  if (!parsed.success) return answerError('google', answer, kindFromStatus(answer.status), undefined);
  const error = parsed.data.error;
  const reasons = [...(error.errors ?? []), ...(error.details ?? [])].map((item) => item.reason ?? '');
  const message = error.message ?? '';
  return answerError('google', answer, googleKind(answer.status, reasons, message, error.status), message || undefined);
}

function googleKind(status: number, reasons: string[], message: string, rpcStatus: string | undefined): TranslationErrorKind {
  const has = (...names: string[]) => reasons.some((reason) => names.includes(reason));
  if (has('dailyLimitExceeded', 'dailyLimitExceededUnreg', 'quotaExceeded') || /daily limit/i.test(message)) return 'quota';
  if (has('userRateLimitExceeded', 'rateLimitExceeded', 'RATE_LIMIT_EXCEEDED') || /rate limit/i.test(message) || rpcStatus === 'RESOURCE_EXHAUSTED') {
    return 'rate_limited';
  }
  if (has('keyInvalid', 'API_KEY_INVALID', 'keyExpired', 'API_KEY_EXPIRED') || /api key/i.test(message)) return 'auth';
  return kindFromStatus(status);
}
