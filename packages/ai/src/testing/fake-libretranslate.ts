import { decodeHTML } from 'entities';
import { fakeTranslateMarked, fakeTranslatePlain, type FakeEngineOptions } from './fake-translation.ts';
import { field, startFakeServer, stringList, type FakeResponse, type FakeServer, type FakeServerOptions } from './fake-server.ts';

/**
 * LibreTranslate's `POST /translate` as its server implements it (LibreTranslate/libretranslate/app.py): `q` one
 * text or a list, `source` (a code or `auto`), `target`, `format` (`text` / `html`, where elements with
 * `translate="no"` are left alone and whitespace is collapsed), `api_key`. Answers `translatedText` (a list for a
 * list) and, for `auto`, `detectedLanguage`; results are HTML-unescaped. Errors are `{ "error": "…" }`: 400, 403
 * (invalid key), 429 ("Slowdown: …"), 500.
 */

export interface FakeLibreTranslateOptions extends FakeEngineOptions, FakeServerOptions {
  /** When set, requests must carry this `api_key`. */
  apiKey?: string;
  /** Codes the server has models for. */
  languages?: readonly string[];
}

export const DEFAULT_LIBRETRANSLATE_LANGUAGES = ['ar', 'de', 'en', 'es', 'fr', 'id', 'it', 'ja', 'ko', 'ms', 'nl', 'pb', 'pl', 'pt', 'ru', 'tr', 'zh', 'zt'];

const error = (status: number, text: string, headers?: Record<string, string>): FakeResponse => ({ status, body: { error: text }, ...(headers ? { headers } : {}) });

const NO_TRANSLATE = /<(\w+)\b[^>]*\btranslate\s*=\s*"no"[^>]*>[\s\S]*?<\/\1\s*>/g;

export function startFakeLibreTranslate(options: FakeLibreTranslateOptions = {}): Promise<FakeServer> {
  const languages = options.languages ?? DEFAULT_LIBRETRANSLATE_LANGUAGES;
  return startFakeServer((request, failure) => {
    if (request.method !== 'POST' || request.path !== '/translate') return error(404, 'Not Found');
    const key = field(request.body, 'api_key');
    if (options.apiKey !== undefined && !key) return error(400, 'Visit https://portal.libretranslate.com to get an API key');
    if ((options.apiKey !== undefined && key !== options.apiKey) || failure?.type === 'auth') return error(403, 'Invalid API key');
    if (failure?.type === 'rate_limit') {
      return error(429, 'Slowdown: 30 per 1 minute', failure.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(failure.retryAfterSeconds) });
    }
    if (failure?.type === 'quota') return error(429, 'Slowdown: 1000 per 1 day');
    if (failure?.type === 'server_error') return error(failure.status ?? 500, 'Cannot translate text: CUDA out of memory');
    if (failure?.type === 'bad_request') return error(400, failure.message ?? 'Invalid request');

    const q = field(request.body, 'q');
    const texts = stringList(q);
    const source = field(request.body, 'source');
    const target = field(request.body, 'target');
    const format = field(request.body, 'format') ?? 'text';
    if (!texts || texts.length === 0 || texts.some((text) => text === '')) return error(400, 'Invalid request: missing q parameter');
    if (typeof source !== 'string' || !source) return error(400, 'Invalid request: missing source parameter');
    if (typeof target !== 'string' || !target) return error(400, 'Invalid request: missing target parameter');
    if (source !== 'auto' && !languages.includes(source)) return error(400, `${source} is not supported`);
    if (!languages.includes(target)) return error(400, `${target} is not supported`);
    if (format !== 'text' && format !== 'html') return error(400, `${String(format)} format is not supported`);

    const translated = texts.map((text) =>
      decodeHTML(
        format === 'html'
          ? fakeTranslateMarked(text.split(/\s+/).join(' '), target, { protectedElement: NO_TRANSLATE, decode: decodeHTML, encode: escapeHtml }, options)
          : fakeTranslatePlain(text, target, options),
      ),
    );
    const detected = texts.map((text) => ({ confidence: 90, language: options.detect?.(text) ?? 'en' }));
    if (Array.isArray(q)) return { status: 200, body: source === 'auto' ? { translatedText: translated, detectedLanguage: detected } : { translatedText: translated } };
    return { status: 200, body: source === 'auto' ? { translatedText: translated[0], detectedLanguage: detected[0] } : { translatedText: translated[0] } };
  }, options);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
