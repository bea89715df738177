import { decodeHTML } from 'entities';
import { fakeTranslateMarked, type FakeEngineOptions } from './fake-translation.ts';
import { field, startFakeServer, stringList, type FakeResponse, type FakeServer, type FakeServerOptions } from './fake-server.ts';

/**
 * Google Cloud Translation — Basic (v2) `POST /language/translate/v2?key=…` as documented
 * (https://cloud.google.com/translate/docs/reference/rest/v2/translate): `q` (one or a list, at most 128),
 * `target`, optional `source`, `format` (`html` by default, honouring `translate="no"`; `text`); answers
 * `{ data: { translations: [{ translatedText, detectedSourceLanguage }] } }`. Like the real service it HTML-escapes
 * apostrophes and quotes even for `format=text`. Errors are `{ error: { code, message, status, errors: [{ reason }] } }`.
 */

export interface FakeGoogleTranslateOptions extends FakeEngineOptions, FakeServerOptions {
  apiKey?: string;
}

function googleError(code: number, message: string, status: string, reason: string, headers?: Record<string, string>): FakeResponse {
  return {
    status: code,
    body: { error: { code, message, errors: [{ message, domain: reason === 'API_KEY_INVALID' ? 'global' : 'usageLimits', reason }], status } },
    ...(headers ? { headers } : {}),
  };
}

const invalidKey = (): FakeResponse => ({
  status: 400,
  body: {
    error: {
      code: 400,
      message: 'API key not valid. Please pass a valid API key.',
      errors: [{ message: 'API key not valid. Please pass a valid API key.', domain: 'global', reason: 'badRequest' }],
      status: 'INVALID_ARGUMENT',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
    },
  },
});

/** What Google's v2 answers escape, even in plain-text mode. */
function escapeLikeGoogle(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const NO_TRANSLATE = /<(\w+)\b[^>]*\b(?:translate\s*=\s*"no"|class\s*=\s*"[^"]*\bnotranslate\b[^"]*")[^>]*>[\s\S]*?<\/\1\s*>/g;

export function startFakeGoogleTranslate(options: FakeGoogleTranslateOptions = {}): Promise<FakeServer> {
  const apiKey = options.apiKey ?? 'google-test-key';
  return startFakeServer((request, failure) => {
    if (request.method !== 'POST' || request.path !== '/language/translate/v2') {
      return googleError(404, 'Method not found.', 'NOT_FOUND', 'notFound');
    }
    if (request.query.get('key') !== apiKey || failure?.type === 'auth') return invalidKey();
    if (failure?.type === 'rate_limit') {
      return googleError(
        429,
        "Quota exceeded for quota metric 'v2 and v3 general model characters' and limit 'per minute per user'.",
        'RESOURCE_EXHAUSTED',
        'rateLimitExceeded',
        failure.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(failure.retryAfterSeconds) },
      );
    }
    if (failure?.type === 'quota') return googleError(403, 'Daily Limit Exceeded', 'PERMISSION_DENIED', 'dailyLimitExceeded');
    if (failure?.type === 'server_error') {
      const code = failure.status ?? 500;
      return code === 503
        ? googleError(503, 'The service is currently unavailable.', 'UNAVAILABLE', 'backendError')
        : googleError(code, 'Internal error encountered.', 'INTERNAL', 'backendError');
    }
    if (failure?.type === 'bad_request') return googleError(400, failure.message ?? 'Invalid Value', 'INVALID_ARGUMENT', 'invalid');

    const texts = stringList(field(request.body, 'q'));
    const target = field(request.body, 'target');
    const source = field(request.body, 'source');
    const format = field(request.body, 'format') ?? 'html';
    if (!texts) return googleError(400, 'Required Text', 'INVALID_ARGUMENT', 'required');
    if (typeof target !== 'string') return googleError(400, 'Missing required field target', 'INVALID_ARGUMENT', 'required');
    if (!/^[a-z]{2,3}(-[A-Z]{2})?$/.test(target) || (source !== undefined && (typeof source !== 'string' || !/^[a-z]{2,3}(-[A-Z]{2})?$/.test(source)))) {
      return googleError(400, 'Invalid Value', 'INVALID_ARGUMENT', 'invalid');
    }
    if (texts.length > 128) return googleError(400, 'Too many text segments', 'INVALID_ARGUMENT', 'invalid');

    const translations = texts.map((text) => {
      const translatedText =
        format === 'text'
          ? escapeLikeGoogle(`[${target}] ${(options.translate ?? ((value: string) => value.toUpperCase()))(text, target)}`)
          : fakeTranslateMarked(text, target, { protectedElement: NO_TRANSLATE, decode: decodeHTML, encode: escapeLikeGoogle }, options);
      return source === undefined ? { translatedText, detectedSourceLanguage: options.detect?.(text) ?? 'en' } : { translatedText };
    });
    return { status: 200, body: { data: { translations } } };
  }, options);
}
