import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providerFailure, startFakeGoogleTranslate, type FakeServer } from '../../testing/index.ts';
import { createGoogleTranslateProvider, googleLanguage, googleTranslateSettingsSchema } from './google.ts';

const KEY = 'google-test-key';
let fake: FakeServer;

beforeAll(async () => {
  fake = await startFakeGoogleTranslate({ apiKey: KEY, detect: () => 'iw' });
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

const provider = (overrides: Record<string, unknown> = {}) =>
  createGoogleTranslateProvider(
    googleTranslateSettingsSchema.parse({ provider: 'google', apiKey: KEY, baseUrl: fake.url, retry: { retries: 2, minDelayMs: 5, maxDelayMs: 20 }, ...overrides }),
  );

describe('Google Cloud Translation (v2) provider', () => {
  it('posts q, target, source and format=text to /language/translate/v2 with the key in the query', async () => {
    const result = await provider().translate({ texts: ['Where is my order?', 'Thanks'], source: 'en', target: 'zh' });

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/language/translate/v2');
    expect(request?.query.get('key')).toBe(KEY);
    expect(request?.body).toEqual({ q: ['Where is my order?', 'Thanks'], target: 'zh-CN', format: 'text', source: 'en' });
    expect(result).toEqual([{ text: '[zh-CN] WHERE IS MY ORDER?' }, { text: '[zh-CN] THANKS' }]);
  });

  it('decodes the HTML entities Google puts in plain-text results', async () => {
    const [result] = await provider().translate({ texts: [`I'm "here" & <waiting>`], source: 'en', target: 'fr' });
    expect(result?.text).toBe(`[fr] I'M "HERE" & <WAITING>`);
  });

  it('reports the detected language, mapping legacy codes', async () => {
    const [result] = await provider().translate({ texts: ['שלום'], target: 'en' });
    expect(fake.requests[0]?.body).not.toHaveProperty('source');
    expect(result?.detectedSource).toBe('he');
  });

  it('keeps glossary terms in translate="no" spans with format=html', async () => {
    const [result] = await provider().translate({ texts: ["Signalbox's reply < 1 min"], target: 'es', glossary: ['Signalbox'] });
    expect(fake.requests[0]?.body).toMatchObject({ q: ['<span translate="no" id="t0">Signalbox</span>\'s reply &lt; 1 min'], format: 'html' });
    expect(result?.text).toBe("[es] Signalbox'S REPLY < 1 MIN");
  });

  it('retries a 429 after the Retry-After Google gave', async () => {
    fake.fail({ type: 'rate_limit', retryAfterSeconds: 1 });
    const [result] = await provider().translate({ texts: ['Hello'], target: 'de' });
    expect(result?.text).toBe('[de] HELLO');
    const [first, second] = fake.requests;
    expect(fake.requests).toHaveLength(2);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('reports "Daily Limit Exceeded" as a used-up quota, without retrying', async () => {
    fake.fail({ type: 'quota' });
    const error = await providerFailure(provider().translate({ texts: ['Hello'], target: 'de' }));
    expect(error.kind).toBe('quota');
    expect(error.status).toBe(403);
    expect(error.providerMessage).toBe('Daily Limit Exceeded');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports an invalid key as an auth error with Google\'s message, never the key', async () => {
    const error = await providerFailure(provider({ apiKey: 'not-the-key' }).translate({ texts: ['Hello'], target: 'de' }));
    expect(error.kind).toBe('auth');
    expect(error.providerMessage).toBe('API key not valid. Please pass a valid API key.');
    expect(error.message).not.toContain('not-the-key');
  });

  it('retries 503 and gives up as unavailable when it persists', async () => {
    fake.fail({ type: 'server_error', status: 503 });
    expect((await provider().translate({ texts: ['Hello'], target: 'de' }))[0]?.text).toBe('[de] HELLO');

    fake.reset();
    fake.fail({ type: 'server_error' }, { type: 'server_error' }, { type: 'server_error' });
    const error = await providerFailure(provider().translate({ texts: ['Hello'], target: 'de' }));
    expect(error.kind).toBe('unavailable');
    expect(error.providerMessage).toBe('Internal error encountered.');
    expect(fake.requests).toHaveLength(3);
  });

  it('turns a slow answer into a timeout error', async () => {
    fake.fail({ type: 'slow', delayMs: 2_000 });
    const error = await providerFailure(provider({ timeoutMs: 150 }).translate({ texts: ['Hello'], target: 'de' }));
    expect(error.kind).toBe('timeout');
  });

  it('maps languages to Google\'s codes', () => {
    expect(['zh', 'zh-Hant', 'zh-TW', 'pt', 'pt-BR', 'pt-PT', 'he', 'es-419'].map(googleLanguage)).toEqual(['zh-CN', 'zh-TW', 'zh-TW', 'pt', 'pt', 'pt-PT', 'he', 'es']);
  });
});
