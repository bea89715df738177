import { decodeXML, encodeXML } from 'entities';
import { fakeTranslateMarked, fakeTranslatePlain, type FakeEngineOptions } from './fake-translation.ts';
import { field, startFakeServer, stringList, type FakeResponse, type FakeServer, type FakeServerOptions } from './fake-server.ts';

/**
 * DeepL's `POST /v2/translate` as documented (https://developers.deepl.com/api-reference/translate): header
 * `Authorization: DeepL-Auth-Key …`, `text` list (at most 50), upper-case `target_lang` with the required
 * variants, `source_lang` without variants, XML tag handling with `ignore_tags`; errors `{ "message" }` with 403
 * (key), 429 (too many requests), 456 (quota exceeded), 5xx.
 */

export const DEEPL_TARGET_LANGUAGES = [
  'AR', 'BG', 'CS', 'DA', 'DE', 'EL', 'EN-GB', 'EN-US', 'ES', 'ET', 'FI', 'FR', 'HU', 'ID', 'IT', 'JA', 'KO', 'LT', 'LV',
  'NB', 'NL', 'PL', 'PT-BR', 'PT-PT', 'RO', 'RU', 'SK', 'SL', 'SV', 'TR', 'UK', 'ZH', 'ZH-HANS', 'ZH-HANT',
];
export const DEEPL_SOURCE_LANGUAGES = [
  'AR', 'BG', 'CS', 'DA', 'DE', 'EL', 'EN', 'ES', 'ET', 'FI', 'FR', 'HU', 'ID', 'IT', 'JA', 'KO', 'LT', 'LV', 'NB', 'NL',
  'PL', 'PT', 'RO', 'RU', 'SK', 'SL', 'SV', 'TR', 'UK', 'ZH',
];

export interface FakeDeepLOptions extends FakeEngineOptions, FakeServerOptions {
  /** The key the fake accepts. */
  apiKey?: string;
}

const message = (status: number, text: string, headers?: Record<string, string>): FakeResponse => ({ status, body: { message: text }, ...(headers ? { headers } : {}) });

export function startFakeDeepL(options: FakeDeepLOptions = {}): Promise<FakeServer> {
  const apiKey = options.apiKey ?? 'deepl-test-key:fx';
  return startFakeServer((request, failure) => {
    if (request.method !== 'POST' || request.path !== '/v2/translate') return message(404, 'Not found');
    if (request.headers.authorization !== `DeepL-Auth-Key ${apiKey}` || failure?.type === 'auth') {
      return message(403, 'Authorization failure, check auth_key');
    }
    if (failure?.type === 'rate_limit') {
      return message(429, 'Too many requests', failure.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(failure.retryAfterSeconds) });
    }
    if (failure?.type === 'quota') return message(456, 'Quota exceeded');
    if (failure?.type === 'server_error') return message(failure.status ?? 500, 'Internal server error');
    if (failure?.type === 'bad_request') return message(400, failure.message ?? 'Bad request');

    const texts = stringList(field(request.body, 'text'));
    const target = field(request.body, 'target_lang');
    const source = field(request.body, 'source_lang');
    if (!texts || texts.length === 0) return message(400, "Parameter 'text' not specified.");
    if (texts.length > 50) return message(413, 'Request Entity Too Large');
    if (typeof target !== 'string' || !DEEPL_TARGET_LANGUAGES.includes(target.toUpperCase())) return message(400, "Value for 'target_lang' not supported.");
    if (source !== undefined && (typeof source !== 'string' || !DEEPL_SOURCE_LANGUAGES.includes(source.toUpperCase()))) {
      return message(400, "Value for 'source_lang' not supported.");
    }
    const tagHandling = field(request.body, 'tag_handling');
    const ignoreTags = stringList(field(request.body, 'ignore_tags')) ?? [];
    if (tagHandling === 'xml' && texts.some((text) => !looksLikeWellFormedXml(text))) {
      return message(400, 'Tag handling parsing failed, please check input.');
    }

    const translations = texts.map((text) => {
      const translated =
        tagHandling === 'xml' && ignoreTags.length > 0
          ? fakeTranslateMarked(text, target, { protectedElement: ignoredElements(ignoreTags), decode: decodeXML, encode: encodeXML }, options)
          : fakeTranslatePlain(text, target, options);
      const detected = typeof source === 'string' ? source.toUpperCase() : (options.detect?.(text) ?? 'en').toUpperCase();
      return { detected_source_language: detected, text: translated };
    });
    return { status: 200, body: { translations } };
  }, options);
}

function ignoredElements(tags: string[]): RegExp {
  const names = tags.map((tag) => tag.replace(/[^\w-]/g, '')).join('|');
  return new RegExp(`<(${names})\\b[^>]*>[\\s\\S]*?</\\1\\s*>`, 'g');
}

/** DeepL's v2 tag handling parses XML strictly: a bare `<` or `&` is an error. */
function looksLikeWellFormedXml(text: string): boolean {
  const withoutTags = text.replace(/<\/?[A-Za-z][\w-]*(?:\s+[\w-]+\s*=\s*"[^"]*")*\s*\/?>/g, '');
  return !/</.test(withoutTags) && !/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(withoutTags);
}
