import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeDeepL,
  startFakeGoogleTranslate,
  startFakeLibreTranslate,
  startFakeOpenAi,
  type FakeEngineOptions,
  type FakeServer,
} from '../testing/index.ts';
import { TranslationError } from './errors.ts';
import { createInMemoryTranslationMemory, type TranslationMemory } from './memory.ts';
import type { TranslationProvider } from './provider.ts';
import { createTranslationProvider, parseTranslationSettings } from './settings.ts';
import { createTranslator } from './translator.ts';

const fastRetry = { retries: 1, minDelayMs: 5, maxDelayMs: 10 };

function providerFor(settings: Record<string, unknown>): TranslationProvider {
  const parsed = parseTranslationSettings({ ...settings, retry: fastRetry });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return createTranslationProvider(parsed.settings);
}

/** Each provider with its fake, so behaviour that must hold everywhere is checked everywhere. */
const providers: { name: string; start: (options: FakeEngineOptions) => Promise<FakeServer>; settings: (url: string) => Record<string, unknown> }[] = [
  { name: 'deepl', start: (o) => startFakeDeepL({ ...o, apiKey: 'k:fx' }), settings: (url) => ({ provider: 'deepl', apiKey: 'k:fx', baseUrl: url }) },
  { name: 'google', start: (o) => startFakeGoogleTranslate({ ...o, apiKey: 'k' }), settings: (url) => ({ provider: 'google', apiKey: 'k', baseUrl: url }) },
  { name: 'libretranslate', start: (o) => startFakeLibreTranslate(o), settings: (url) => ({ provider: 'libretranslate', baseUrl: url }) },
  { name: 'openai', start: (o) => startFakeOpenAi({ ...o, apiKey: 'k' }), settings: (url) => ({ provider: 'openai', apiKey: 'k', baseUrl: url }) },
];

describe('translator with a translation memory', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startFakeDeepL({ apiKey: 'k:fx' });
  });
  afterAll(() => fake.close());
  afterEach(() => fake.reset());
  const deepl = () => providerFor({ provider: 'deepl', apiKey: 'k:fx', baseUrl: fake.url });

  it('serves a repeated text from memory without calling the provider again', async () => {
    const translator = createTranslator({ provider: deepl(), memory: createInMemoryTranslationMemory() });
    const first = await translator.translate({ texts: ['Where is my order?'], source: 'en', target: 'es' });
    const second = await translator.translate({ texts: ['Where is my order?'], source: 'en', target: 'es' });

    expect(fake.requests).toHaveLength(1);
    expect(first).toEqual([{ text: '[ES] WHERE IS MY ORDER?', detectedSource: 'en', fromMemory: false }]);
    expect(second).toEqual([{ text: '[ES] WHERE IS MY ORDER?', detectedSource: 'en', fromMemory: true }]);
  });

  it('sends only the misses, once each and in one request, and answers in the caller\'s order', async () => {
    const translator = createTranslator({ provider: deepl() });
    await translator.translate({ texts: ['b', 'd'], source: 'en', target: 'de' });
    fake.reset();

    const result = await translator.translate({ texts: ['a', 'b', 'c', 'd', 'a', ''], source: 'en', target: 'de' });

    expect(fake.requests).toHaveLength(1);
    expect((fake.requests[0]?.body as { text: string[] }).text).toEqual(['a', 'c']);
    expect(result.map((item) => [item.text, item.fromMemory])).toEqual([
      ['[DE] A', false],
      ['[DE] B', true],
      ['[DE] C', false],
      ['[DE] D', true],
      ['[DE] A', false],
      ['', false],
    ]);
  });

  it('keeps memory apart per language pair and per glossary version', async () => {
    const memory = createInMemoryTranslationMemory();
    const provider = deepl();
    await createTranslator({ provider, memory }).translate({ texts: ['Signalbox is great'], source: 'en', target: 'de' });
    await createTranslator({ provider, memory }).translate({ texts: ['Signalbox is great'], source: 'en', target: 'fr' });
    const withGlossary = await createTranslator({ provider, memory, glossary: ['Signalbox'] }).translate({ texts: ['Signalbox is great'], source: 'en', target: 'de' });

    expect(fake.requests).toHaveLength(3);
    expect(withGlossary[0]).toMatchObject({ text: '[DE] Signalbox IS GREAT', fromMemory: false });
  });

  it('reuses memory across providers, since keys do not name the provider', async () => {
    const memory = createInMemoryTranslationMemory();
    await createTranslator({ provider: deepl(), memory }).translate({ texts: ['Hello'], source: 'en', target: 'it' });
    const other: TranslationProvider = {
      name: 'other',
      translate: () => Promise.reject(new Error('must not be called')),
    };
    const [result] = await createTranslator({ provider: other, memory }).translate({ texts: ['Hello'], source: 'en', target: 'it' });
    expect(result).toMatchObject({ text: '[IT] HELLO', fromMemory: true });
  });

  it('goes on through the provider when the memory fails, and reports the failure', async () => {
    const broken: TranslationMemory = {
      get: () => Promise.reject(new Error('database is down')),
      put: () => Promise.reject(new Error('database is down')),
    };
    const reported: string[] = [];
    const translator = createTranslator({ provider: deepl(), memory: broken, onMemoryError: (error, operation) => reported.push(`${operation}: ${String(error)}`) });
    const [result] = await translator.translate({ texts: ['Hello'], source: 'en', target: 'nl' });
    expect(result?.text).toBe('[NL] HELLO');
    expect(reported).toEqual(['get: Error: database is down', 'put: Error: database is down']);
  });

  it('does not call the provider when source and target are the same language', async () => {
    const [result] = await createTranslator({ provider: deepl() }).translate({ texts: ['Hola'], source: 'es', target: 'es' });
    expect(result).toEqual({ text: 'Hola', fromMemory: false });
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a request with a bad language code, naming the field', async () => {
    const error = await createTranslator({ provider: deepl() })
      .translate({ texts: ['Hola'], target: 'spanish' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TranslationError);
    expect((error as TranslationError).kind).toBe('bad_request');
    expect((error as TranslationError).message).toMatch(/^translator: invalid translation request: target: "spanish" is not a language code/);
  });
});

describe('translator without a provider', () => {
  it('says clearly that no translation provider is configured', async () => {
    const translator = createTranslator({ provider: null });
    expect(translator.configured).toBe(false);
    const error = await translator.translate({ texts: ['Hola'], target: 'en' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TranslationError);
    expect((error as TranslationError).kind).toBe('not_configured');
    expect((error as TranslationError).providerMessage).toBe('no translation provider is configured');
  });
});

describe.each(providers)('glossary round trip through $name', ({ start, settings }) => {
  let fake: FakeServer;
  let mangling: FakeServer;
  beforeAll(async () => {
    fake = await start({});
    mangling = await start({ dropProtectedMarkup: true });
  });
  afterAll(async () => {
    await fake.close();
    await mangling.close();
  });

  const texts = ['Can I pay with apple pay on Signalbox?', 'My SIGNALBOX order & <3 receipts', 'No brand here'];
  const glossary = ['Signalbox', 'Apple Pay'];

  it('keeps every glossary term exactly as written while the rest is translated', async () => {
    const result = await createTranslator({ provider: providerFor(settings(fake.url)), glossary }).translate({ texts, source: 'en', target: 'es' });
    expect(result.map((item) => item.text)).toEqual([
      expect.stringMatching(/^\[ES\] CAN I PAY WITH apple pay ON Signalbox\?$/i),
      expect.stringMatching(/^\[ES\] MY SIGNALBOX ORDER & <3 RECEIPTS$/i),
      expect.stringMatching(/^\[ES\] NO BRAND HERE$/i),
    ]);
    expect(result[0]?.text).toContain('apple pay');
    expect(result[0]?.text).toContain('Signalbox');
    expect(result.some((item) => item.glossaryFallback)).toBe(false);
  });

  it('falls back to translating around the terms when the provider loses their markup', async () => {
    const memory = createInMemoryTranslationMemory();
    const result = await createTranslator({ provider: providerFor(settings(mangling.url)), glossary, memory }).translate({ texts, source: 'en', target: 'es' });
    expect(result[0]?.text).toContain('apple pay');
    expect(result[0]?.text).toContain('Signalbox');
    expect(result[1]?.text).toContain('SIGNALBOX');
    expect(result[0]?.glossaryFallback).toBe(true);
    expect(result[2]?.glossaryFallback).toBeUndefined();
    // Fallback translations are not remembered, so a later call can do better.
    expect(memory.size).toBe(1);
  });
});
