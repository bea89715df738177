import { z } from 'zod';
import { TranslationError } from '../errors.ts';
import { answerError, joinUrl, kindFromStatus, postJson, type ProviderAnswer } from '../http.ts';
import { baseLanguage, isTraditionalChinese } from '../languages.ts';
import { createProvider, type ProviderTransport, type TranslationProvider, type TransportResult } from '../provider.ts';
import { retryPolicySchema, withRetry } from '../retry.ts';

/** LibreTranslate (https://docs.libretranslate.com, self-hostable): `POST /translate` with `q` as a list. */
export const LIBRETRANSLATE_URL = 'https://libretranslate.com';

export const libreTranslateSettingsSchema = z.object({
  provider: z.literal('libretranslate'),
  /** A self-hosted server (`http://libretranslate:5000`) or the public one. */
  baseUrl: z.url({ protocol: /^https?$/ }).default(LIBRETRANSLATE_URL),
  /** Required by libretranslate.com and by servers started with `--api-keys`; optional otherwise. */
  apiKey: z.string().trim().min(1).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(30_000),
  /** Servers may set `--batch-limit`; stay at or under it. */
  maxBatch: z.number().int().min(1).max(500).default(25),
  /** Servers may set `--char-limit` (per request); stay at or under it. */
  maxChars: z.number().int().min(100).max(1_000_000).default(5_000),
  /**
   * Codes this server uses where they differ from the defaults below, e.g. `{ "zh": "zh-Hans" }` — the
   * server's `GET /languages` lists its codes.
   */
  languageCodes: z.record(z.string(), z.string().min(1)).default({}),
  retry: retryPolicySchema.prefault({}),
});

export type LibreTranslateSettings = z.output<typeof libreTranslateSettingsSchema>;

/**
 * Our code -> the server's: an explicit mapping first, then the codes of the Argos models LibreTranslate
 * serves, where traditional Chinese is `zt` and Brazilian Portuguese `pb` (LibreTranslate issues #778, #783).
 */
export function libreTranslateLanguage(code: string, languageCodes: Readonly<Record<string, string>> = {}): string {
  const mapped = languageCodes[code] ?? languageCodes[code.toLowerCase()] ?? languageCodes[baseLanguage(code)];
  if (mapped) return mapped;
  if (baseLanguage(code) === 'zh') return isTraditionalChinese(code) ? 'zt' : 'zh';
  if (code === 'pt-BR') return 'pb';
  return baseLanguage(code);
}

function fromLibreTranslateLanguage(code: string): string {
  if (code === 'zt') return 'zh';
  if (code === 'pb') return 'pt';
  return baseLanguage(code);
}

const libreAnswerSchema = z.object({
  translatedText: z.union([z.string(), z.array(z.string())]),
  detectedLanguage: z
    .union([z.object({ language: z.string() }).loose(), z.array(z.object({ language: z.string() }).loose())])
    .optional(),
});

const libreErrorSchema = z.looseObject({ error: z.string() });

export function createLibreTranslateProvider(settings: LibreTranslateSettings): TranslationProvider {
  const url = joinUrl(settings.baseUrl, '/translate');
  const transport: ProviderTransport = {
    name: 'libretranslate',
    maxBatch: settings.maxBatch,
    maxChars: settings.maxChars,
    glossaryMarkup: 'html',
    // The server runs html.unescape on every result, markup included.
    markedOutput: 'none',
    send: (batch, signal) =>
      withRetry(
        async () => {
          const body: Record<string, unknown> = {
            q: batch.texts,
            source: batch.source ? libreTranslateLanguage(batch.source, settings.languageCodes) : 'auto',
            target: libreTranslateLanguage(batch.target, settings.languageCodes),
            format: batch.marked ? 'html' : 'text',
          };
          if (settings.apiKey) body.api_key = settings.apiKey;
          const answer = await postJson(url, { provider: 'libretranslate', body, timeoutMs: settings.timeoutMs, signal });
          return readLibreAnswer(answer, batch.texts.length);
        },
        settings.retry,
        signal,
      ),
  };
  return createProvider(transport);
}

function readLibreAnswer(answer: ProviderAnswer, count: number): TransportResult[] {
  if (answer.status < 200 || answer.status >= 300) throw libreError(answer);
  const parsed = libreAnswerSchema.safeParse(answer.json);
  if (!parsed.success) throw new TranslationError('bad_response', 'libretranslate', 'the answer has no "translatedText"');
  const texts = Array.isArray(parsed.data.translatedText) ? parsed.data.translatedText : [parsed.data.translatedText];
  const detected = parsed.data.detectedLanguage;
  const languages = detected === undefined ? [] : Array.isArray(detected) ? detected : Array.from({ length: count }, () => detected);
  return texts.map((text, i) => {
    const language = languages[i]?.language;
    return language ? { text, detectedSource: fromLibreTranslateLanguage(language) } : { text };
  });
}

/**
 * LibreTranslate answers `{ "error": "..." }` with 400 (bad request, also "get an API key"), 403 (invalid key,
 * or banned after repeated limit violations), 429 ("Slowdown: …", per minute or per day) and 500.
 */
function libreError(answer: ProviderAnswer): TranslationError {
  const body = libreErrorSchema.safeParse(answer.json);
  const message = body.success ? body.data.error : undefined;
  let kind = kindFromStatus(answer.status);
  if (answer.status === 400 && message && /api key/i.test(message)) kind = 'auth';
  if (answer.status === 403 && message && /too many request/i.test(message)) kind = 'quota';
  // Flask-Limiter describes the limit hit: "Slowdown: 1000 per 1 day" cannot clear within a retry.
  if (answer.status === 429 && message && /\bper (?:\d+ )?days?\b/i.test(message)) kind = 'quota';
  return answerError('libretranslate', answer, kind, message);
}
