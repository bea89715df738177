import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providerFailure, startFakeLibreTranslate, type FakeServer } from '../../testing/index.ts';
import { createLibreTranslateProvider, libreTranslateLanguage, libreTranslateSettingsSchema } from './libretranslate.ts';

const KEY = 'lt-test-key';
let fake: FakeServer;

beforeAll(async () => {
  fake = await startFakeLibreTranslate({ apiKey: KEY, detect: (text) => (/ção/.test(text) ? 'pt' : 'es') });
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

const provider = (overrides: Record<string, unknown> = {}) =>
  createLibreTranslateProvider(
    libreTranslateSettingsSchema.parse({
      provider: 'libretranslate',
      apiKey: KEY,
      baseUrl: fake.url,
      retry: { retries: 2, minDelayMs: 5, maxDelayMs: 20 },
      ...overrides,
    }),
  );

describe('LibreTranslate provider', () => {
  it('posts q as a list with source auto, target, format and api_key to /translate', async () => {
    const result = await provider().translate({ texts: ['¿Dónde está mi pedido?', 'Não recebi a confirmação'], target: 'en' });

    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.path).toBe('/translate');
    expect(fake.requests[0]?.body).toEqual({
      q: ['¿Dónde está mi pedido?', 'Não recebi a confirmação'],
      source: 'auto',
      target: 'en',
      format: 'text',
      api_key: KEY,
    });
    expect(result).toEqual([
      { text: '[en] ¿DÓNDE ESTÁ MI PEDIDO?', detectedSource: 'es' },
      { text: '[en] NÃO RECEBI A CONFIRMAÇÃO', detectedSource: 'pt' },
    ]);
  });

  it('uses the server\'s codes for traditional Chinese and Brazilian Portuguese, or the configured ones', async () => {
    await provider().translate({ texts: ['Hello'], source: 'en', target: 'zh-TW' });
    await provider().translate({ texts: ['Hello'], source: 'en', target: 'pt-BR' });
    expect(fake.requests.map((request) => (request.body as { target: string }).target)).toEqual(['zt', 'pb']);
    expect(libreTranslateLanguage('zh', { zh: 'zh-Hans' })).toBe('zh-Hans');
  });

  it('keeps glossary terms in translate="no" spans with format=html', async () => {
    const [result] = await provider().translate({ texts: ['My Signalbox bill is > 5 €'], source: 'en', target: 'es', glossary: ['Signalbox'] });
    expect(fake.requests[0]?.body).toMatchObject({ q: ['My <span translate="no" id="t0">Signalbox</span> bill is &gt; 5 €'], format: 'html' });
    expect(result?.text).toBe('[es] MY Signalbox BILL IS > 5 €');
  });

  it('retries a 429 "Slowdown" after the Retry-After it was given', async () => {
    fake.fail({ type: 'rate_limit', retryAfterSeconds: 1 });
    const [result] = await provider().translate({ texts: ['Hello'], source: 'en', target: 'de' });
    expect(result?.text).toBe('[de] HELLO');
    const [first, second] = fake.requests;
    expect(fake.requests).toHaveLength(2);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('reports a daily limit as a used-up quota, without retrying', async () => {
    fake.fail({ type: 'quota' });
    const error = await providerFailure(provider().translate({ texts: ['Hello'], source: 'en', target: 'de' }));
    expect(error.kind).toBe('quota');
    expect(error.providerMessage).toBe('Slowdown: 1000 per 1 day');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a wrong or missing api_key as an auth error with the server\'s message', async () => {
    const wrong = await providerFailure(provider({ apiKey: 'nope' }).translate({ texts: ['Hello'], source: 'en', target: 'de' }));
    expect(wrong.kind).toBe('auth');
    expect(wrong.providerMessage).toBe('Invalid API key');

    const missing = await providerFailure(provider({ apiKey: undefined }).translate({ texts: ['Hello'], source: 'en', target: 'de' }));
    expect(missing.kind).toBe('auth');
    expect(missing.providerMessage).toMatch(/get an API key/);
  });

  it('reports an unsupported language as a bad request with the server\'s message', async () => {
    const error = await providerFailure(provider().translate({ texts: ['Hello'], source: 'en', target: 'sw' }));
    expect(error.kind).toBe('bad_request');
    expect(error.providerMessage).toBe('sw is not supported');
  });

  it('retries 500 and gives up as unavailable when it persists', async () => {
    fake.fail({ type: 'server_error' }, { type: 'server_error' }, { type: 'server_error' });
    const error = await providerFailure(provider().translate({ texts: ['Hello'], source: 'en', target: 'de' }));
    expect(error.kind).toBe('unavailable');
    expect(error.providerMessage).toBe('Cannot translate text: CUDA out of memory');
    expect(fake.requests).toHaveLength(3);
  });

  it('turns a slow answer into a timeout error', async () => {
    fake.fail({ type: 'slow', delayMs: 2_000 });
    const error = await providerFailure(provider({ timeoutMs: 150 }).translate({ texts: ['Hello'], source: 'en', target: 'de' }));
    expect(error.kind).toBe('timeout');
  });

  it('reports an unreachable server as unavailable, naming the cause', async () => {
    const closed = await startFakeLibreTranslate();
    await closed.close();
    const error = await providerFailure(provider({ baseUrl: closed.url, retry: { retries: 0 } }).translate({ texts: ['Hello'], target: 'de' }));
    expect(error.kind).toBe('unavailable');
    expect(error.providerMessage).toMatch(/ECONNREFUSED/);
  });
});
