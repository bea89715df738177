import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providerFailure, startFakeDeepL, type FakeServer } from '../../testing/index.ts';
import { createDeepLProvider, deeplBaseUrl, deeplSettingsSchema, deeplSourceLanguage, deeplTargetLanguage, DEEPL_FREE_URL, DEEPL_PRO_URL } from './deepl.ts';

const KEY = 'deepl-test-key:fx';
let fake: FakeServer;

beforeAll(async () => {
  fake = await startFakeDeepL({ apiKey: KEY, detect: (text) => (/[¿¡ñ]/.test(text) ? 'es' : 'en') });
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

const provider = (overrides: Record<string, unknown> = {}) =>
  createDeepLProvider(
    deeplSettingsSchema.parse({ provider: 'deepl', apiKey: KEY, baseUrl: fake.url, retry: { retries: 2, minDelayMs: 5, maxDelayMs: 20 }, ...overrides }),
  );

describe('DeepL provider', () => {
  it('sends the texts to /v2/translate with the DeepL-Auth-Key header and DeepL language codes', async () => {
    const result = await provider().translate({ texts: ['Hello', 'Where is my order?'], source: 'en', target: 'pt' });

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v2/translate');
    expect(request?.headers.authorization).toBe(`DeepL-Auth-Key ${KEY}`);
    expect(request?.body).toEqual({ text: ['Hello', 'Where is my order?'], target_lang: 'PT-BR', source_lang: 'EN' });
    expect(result).toEqual([
      { text: '[PT-BR] HELLO', detectedSource: 'en' },
      { text: '[PT-BR] WHERE IS MY ORDER?', detectedSource: 'en' },
    ]);
  });

  it('reports the language DeepL detected when the source is left out', async () => {
    const [result] = await provider().translate({ texts: ['¿Dónde está mi pedido?'], target: 'de' });
    expect(fake.requests[0]?.body).not.toHaveProperty('source_lang');
    expect(result?.detectedSource).toBe('es');
  });

  it('keeps glossary terms with XML tag handling and ignore_tags, escaping the rest of the text', async () => {
    const [result] = await provider().translate({ texts: ['Is apple pay < 5 € & safe?'], target: 'de', glossary: ['Apple Pay'] });
    expect(fake.requests[0]?.body).toMatchObject({
      text: ['Is <x id="t0">apple pay</x> &lt; 5 € &amp; safe?'],
      tag_handling: 'xml',
      ignore_tags: ['x'],
    });
    expect(result?.text).toBe('[DE] IS apple pay < 5 € & SAFE?');
  });

  it('retries a 429 after the Retry-After DeepL gave', async () => {
    fake.fail({ type: 'rate_limit', retryAfterSeconds: 1 });
    const [result] = await provider().translate({ texts: ['Hello'], target: 'fr' });
    expect(result?.text).toBe('[FR] HELLO');
    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests;
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('reports 456 as a used-up quota with DeepL\'s message, without retrying', async () => {
    fake.fail({ type: 'quota' });
    const error = await providerFailure(provider().translate({ texts: ['Hello'], target: 'fr' }));
    expect(error.kind).toBe('quota');
    expect(error.status).toBe(456);
    expect(error.providerMessage).toBe('Quota exceeded');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a refused key as an auth error', async () => {
    const error = await providerFailure(provider({ apiKey: 'wrong-key' }).translate({ texts: ['Hello'], target: 'fr' }));
    expect(error.kind).toBe('auth');
    expect(error.message).toBe('deepl: Authorization failure, check auth_key');
    expect(error.message).not.toContain('wrong-key');
  });

  it('retries 5xx answers and gives up as unavailable when they persist', async () => {
    fake.fail({ type: 'server_error', status: 503 });
    expect((await provider().translate({ texts: ['Hello'], target: 'fr' }))[0]?.text).toBe('[FR] HELLO');
    expect(fake.requests).toHaveLength(2);

    fake.reset();
    fake.fail({ type: 'server_error' }, { type: 'server_error' }, { type: 'server_error' });
    const error = await providerFailure(provider().translate({ texts: ['Hello'], target: 'fr' }));
    expect(error.kind).toBe('unavailable');
    expect(error.providerMessage).toBe('Internal server error');
    expect(fake.requests).toHaveLength(3);
  });

  it('turns a slow answer into a timeout error', async () => {
    fake.fail({ type: 'slow', delayMs: 2_000 });
    const started = performance.now();
    const error = await providerFailure(provider({ timeoutMs: 150 }).translate({ texts: ['Hello'], target: 'fr' }));
    expect(error.kind).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('stops at once, with the caller\'s reason, when the caller cancels', async () => {
    fake.fail({ type: 'slow', delayMs: 2_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('conversation closed')), 50);
    const started = performance.now();
    await expect(provider().translate({ texts: ['Hello'], target: 'fr' }, controller.signal)).rejects.toThrow('conversation closed');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('splits batches at DeepL\'s 50 texts per request and keeps the order', async () => {
    const texts = Array.from({ length: 120 }, (_, i) => `line ${i}`);
    const result = await provider().translate({ texts, target: 'it' });
    expect(fake.requests.map((request) => (request.body as { text: string[] }).text.length)).toEqual([50, 50, 20]);
    expect(result.map((item) => item.text)).toEqual(texts.map((text) => `[IT] ${text.toUpperCase()}`));
  });
});

describe('DeepL settings', () => {
  it('uses the free API for keys ending in :fx and the pro API otherwise', () => {
    expect(deeplBaseUrl({ apiKey: 'abc:fx' })).toBe(DEEPL_FREE_URL);
    expect(deeplBaseUrl({ apiKey: 'abc' })).toBe(DEEPL_PRO_URL);
    expect(deeplBaseUrl({ apiKey: 'abc', baseUrl: 'http://proxy.local' })).toBe('http://proxy.local');
  });

  it('maps languages to the codes DeepL requires', () => {
    const variants = { englishVariant: 'EN-US', portugueseVariant: 'PT-BR' } as const;
    expect(['en', 'en-GB', 'pt', 'pt-PT', 'zh', 'zh-TW', 'zh-Hant', 'de', 'nb'].map((code) => deeplTargetLanguage(code, variants))).toEqual([
      'EN-US',
      'EN-GB',
      'PT-BR',
      'PT-PT',
      'ZH-HANS',
      'ZH-HANT',
      'ZH-HANT',
      'DE',
      'NB',
    ]);
    expect(deeplTargetLanguage('en', { englishVariant: 'EN-GB', portugueseVariant: 'PT-PT' })).toBe('EN-GB');
    expect(deeplSourceLanguage('pt-BR')).toBe('PT');
  });
});
