import { z } from 'zod';
import { TranslationError } from '../errors.ts';
import { answerError, joinUrl, kindFromStatus, postJson, type ProviderAnswer } from '../http.ts';
import { baseLanguage, isTraditionalChinese, languageSubtags } from '../languages.ts';
import { createProvider, type ProviderTransport, type TranslationProvider, type TransportResult } from '../provider.ts';
import { retryPolicySchema, withRetry } from '../retry.ts';

/** DeepL API (https://developers.deepl.com/api-reference/translate): `POST /v2/translate`. */
export const DEEPL_FREE_URL = 'https://api-free.deepl.com';
export const DEEPL_PRO_URL = 'https://api.deepl.com';

export const deeplSettingsSchema = z.object({
  provider: z.literal('deepl'),
  apiKey: z.string().trim().min(1, 'the DeepL API key is required'),
  /** Defaults to the free API for keys ending in `:fx` (DeepL's convention) and the pro API otherwise. */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** DeepL needs a variant for English and Portuguese targets; plain EN and PT are deprecated there. */
  englishVariant: z.enum(['EN-US', 'EN-GB']).default('EN-US'),
  portugueseVariant: z.enum(['PT-BR', 'PT-PT']).default('PT-BR'),
  formality: z.enum(['default', 'more', 'less', 'prefer_more', 'prefer_less']).default('default'),
  timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
  /** DeepL takes at most 50 texts per request. */
  maxBatch: z.number().int().min(1).max(50).default(50),
  retry: retryPolicySchema.prefault({}),
});

export type DeepLSettings = z.output<typeof deeplSettingsSchema>;

export function deeplBaseUrl(settings: Pick<DeepLSettings, 'apiKey' | 'baseUrl'>): string {
  return settings.baseUrl ?? (settings.apiKey.endsWith(':fx') ? DEEPL_FREE_URL : DEEPL_PRO_URL);
}

/** DeepL target codes: upper case, with the variants it requires (EN-US, PT-BR, ZH-HANS / ZH-HANT). */
export function deeplTargetLanguage(code: string, settings: Pick<DeepLSettings, 'englishVariant' | 'portugueseVariant'>): string {
  const base = baseLanguage(code);
  const region = languageSubtags(code).find((part) => /^[A-Z]{2}$/.test(part));
  if (base === 'en') return region === 'GB' || region === 'US' ? `EN-${region}` : settings.englishVariant;
  if (base === 'pt') return region === 'BR' || region === 'PT' ? `PT-${region}` : settings.portugueseVariant;
  if (base === 'zh') return isTraditionalChinese(code) ? 'ZH-HANT' : 'ZH-HANS';
  return base.toUpperCase();
}

/** DeepL source codes never carry a variant ("EN", not "EN-US"). */
export function deeplSourceLanguage(code: string): string {
  return baseLanguage(code).toUpperCase();
}

const deeplAnswerSchema = z.object({
  translations: z.array(z.object({ text: z.string(), detected_source_language: z.string().optional() })),
});

const deeplErrorSchema = z.looseObject({ message: z.string().optional(), Message: z.string().optional(), detail: z.string().optional() });

export function createDeepLProvider(settings: DeepLSettings): TranslationProvider {
  const url = joinUrl(deeplBaseUrl(settings), '/v2/translate');
  const transport: ProviderTransport = {
    name: 'deepl',
    maxBatch: settings.maxBatch,
    // 128 KiB per request; three bytes per character covers CJK text.
    maxChars: 40_000,
    glossaryMarkup: 'xml',
    markedOutput: 'xml',
    send: (batch, signal) =>
      withRetry(
        async () => {
          const body: Record<string, unknown> = {
            text: batch.texts,
            target_lang: deeplTargetLanguage(batch.target, settings),
          };
          if (batch.source) body.source_lang = deeplSourceLanguage(batch.source);
          if (settings.formality !== 'default') body.formality = settings.formality;
          if (batch.marked) {
            body.tag_handling = 'xml';
            body.ignore_tags = ['x'];
          }
          const answer = await postJson(url, {
            provider: 'deepl',
            headers: { authorization: `DeepL-Auth-Key ${settings.apiKey}` },
            body,
            timeoutMs: settings.timeoutMs,
            signal,
          });
          return readDeepLAnswer(answer);
        },
        settings.retry,
        signal,
      ),
  };
  return createProvider(transport);
}

function readDeepLAnswer(answer: ProviderAnswer): TransportResult[] {
  if (answer.status < 200 || answer.status >= 300) throw deeplError(answer);
  const parsed = deeplAnswerSchema.safeParse(answer.json);
  if (!parsed.success) throw new TranslationError('bad_response', 'deepl', 'the answer has no "translations" list');
  return parsed.data.translations.map((item) =>
    item.detected_source_language ? { text: item.text, detectedSource: baseLanguage(item.detected_source_language) } : { text: item.text },
  );
}

/** DeepL's documented statuses: 403 bad key, 456 quota exceeded, 429 and 529 too many requests, 5xx temporary. */
function deeplError(answer: ProviderAnswer): TranslationError {
  const body = deeplErrorSchema.safeParse(answer.json);
  const message = body.success ? [body.data.message ?? body.data.Message, body.data.detail].filter(Boolean).join(': ') : undefined;
  const kind = answer.status === 456 ? 'quota' : answer.status === 529 ? 'rate_limited' : kindFromStatus(answer.status);
  return answerError('deepl', answer, kind, message);
}
