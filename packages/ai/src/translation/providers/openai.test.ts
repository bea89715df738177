import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providerFailure, startFakeOpenAi, translationReply, type ChatRequest, type FakeServer } from '../../testing/index.ts';
import { createOpenAiTranslationProvider, openAiTranslationSettingsSchema, parseModelTranslations } from './openai.ts';

const KEY = 'sk-test-key';
let fake: FakeServer;
/** What the fake model answers; each test may swap it. */
let reply: (request: ChatRequest) => string | { content: string; finishReason?: 'stop' | 'length' } = translationReply();

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY, reply: (request) => reply(request), models: ['gpt-4o-mini', 'llama3.1'] });
});
afterAll(() => fake.close());
afterEach(() => {
  fake.reset();
  reply = translationReply();
});

const provider = (overrides: Record<string, unknown> = {}) =>
  createOpenAiTranslationProvider(
    openAiTranslationSettingsSchema.parse({
      provider: 'openai',
      apiKey: KEY,
      baseUrl: fake.url,
      retry: { retries: 2, minDelayMs: 5, maxDelayMs: 20 },
      ...overrides,
    }),
  );

const userPayload = (index = 0): unknown => {
  const messages = (fake.requests[index]?.body as { messages: { role: string; content: string }[] }).messages;
  return JSON.parse(messages.find((message) => message.role === 'user')?.content ?? 'null');
};

describe('OpenAI-compatible chat provider', () => {
  it('posts a translation-only prompt with the texts as JSON to /chat/completions, with the bearer key', async () => {
    const result = await provider().translate({ texts: ['Where is my order?', 'Thanks!'], source: 'en', target: 'ja' });

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0];
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    const body = request?.body as { model: string; temperature: number; response_format: unknown; messages: { role: string; content: string }[] };
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.temperature).toBe(0);
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages[0]?.role).toBe('system');
    expect(body.messages[0]?.content).toContain('into Japanese (ja)');
    expect(body.messages[0]?.content).toContain('from English (en)');
    expect(userPayload()).toEqual({ target: 'ja', source: 'en', texts: ['Where is my order?', 'Thanks!'] });
    expect(result).toEqual([{ text: '[ja] WHERE IS MY ORDER?' }, { text: '[ja] THANKS!' }]);
  });

  it('asks for and reports the detected language when the source is left out', async () => {
    reply = translationReply({ detect: () => 'es' });
    const [result] = await provider().translate({ texts: ['¿Dónde está?'], target: 'en' });
    expect((fake.requests[0]?.body as { messages: { content: string }[] }).messages[0]?.content).toContain('"detected"');
    expect(result).toEqual({ text: '[en] ¿DÓNDE ESTÁ?', detectedSource: 'es' });
  });

  it('keeps glossary terms marked with <x> elements the model is told to keep', async () => {
    const [result] = await provider().translate({ texts: ['Is Signalbox on Apple Pay?'], target: 'de', glossary: ['Signalbox', 'Apple Pay'] });
    expect(userPayload()).toMatchObject({ texts: ['Is <x id="t0">Signalbox</x> on <x id="t1">Apple Pay</x>?'] });
    expect(result?.text).toBe('[de] IS Signalbox ON Apple Pay?');
  });

  it('retries texts one by one when the model answers a batch with the wrong number of lines', async () => {
    const honest = translationReply();
    reply = (request) => {
      const texts = (JSON.parse(request.messages.at(-1)?.content ?? '{}') as { texts: string[] }).texts;
      return texts.length > 1 ? JSON.stringify({ translations: ['all of it in one line'] }) : honest(request);
    };
    const result = await provider().translate({ texts: ['one', 'two', 'three'], source: 'en', target: 'fr' });
    expect(result.map((item) => item.text)).toEqual(['[fr] ONE', '[fr] TWO', '[fr] THREE']);
    expect(fake.requests).toHaveLength(4);
  });

  it('fails clearly when the model answers prose instead of JSON', async () => {
    reply = () => 'Sure! Here is the translation: Bonjour';
    const error = await providerFailure(provider().translate({ texts: ['Hello'], source: 'en', target: 'fr' }));
    expect(error.kind).toBe('bad_response');
    expect(error.providerMessage).toBe('the model did not answer with a JSON list of translations: "Sure! Here is the translation: Bonjour"');
  });

  it('fails clearly when the answer was cut at the token limit', async () => {
    reply = () => ({ content: '{"translations": ["Bonj', finishReason: 'length' });
    const error = await providerFailure(provider().translate({ texts: ['Hello'], source: 'en', target: 'fr' }));
    expect(error.kind).toBe('bad_response');
    expect(error.providerMessage).toMatch(/token limit/);
  });

  it('retries a 429 rate limit after the Retry-After it was given', async () => {
    fake.fail({ type: 'rate_limit', retryAfterSeconds: 1 });
    const [result] = await provider().translate({ texts: ['Hello'], source: 'en', target: 'fr' });
    expect(result?.text).toBe('[fr] HELLO');
    const [first, second] = fake.requests;
    expect(fake.requests).toHaveLength(2);
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('reports insufficient_quota as a used-up quota, without retrying', async () => {
    fake.fail({ type: 'quota' });
    const error = await providerFailure(provider().translate({ texts: ['Hello'], source: 'en', target: 'fr' }));
    expect(error.kind).toBe('quota');
    expect(error.providerMessage).toMatch(/exceeded your current quota/);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a wrong key as auth and an unknown model as a bad request, with OpenAI\'s messages', async () => {
    const auth = await providerFailure(provider({ apiKey: 'sk-wrong' }).translate({ texts: ['Hello'], target: 'fr' }));
    expect(auth.kind).toBe('auth');
    expect(auth.providerMessage).toMatch(/^Incorrect API key provided/);

    const model = await providerFailure(provider({ model: 'gpt-9' }).translate({ texts: ['Hello'], target: 'fr' }));
    expect(model.kind).toBe('bad_request');
    expect(model.providerMessage).toBe('The model `gpt-9` does not exist or you do not have access to it.');
  });

  it('retries 500 and gives up as unavailable when it persists', async () => {
    fake.fail({ type: 'server_error' }, { type: 'server_error' }, { type: 'server_error' });
    const error = await providerFailure(provider().translate({ texts: ['Hello'], target: 'fr' }));
    expect(error.kind).toBe('unavailable');
    expect(fake.requests).toHaveLength(3);
  });

  it('turns a slow answer into a timeout error', async () => {
    fake.fail({ type: 'slow', delayMs: 2_000 });
    const error = await providerFailure(provider({ timeoutMs: 150 }).translate({ texts: ['Hello'], target: 'fr' }));
    expect(error.kind).toBe('timeout');
  });

  it('talks to servers without keys or JSON mode, leaving temperature out when asked', async () => {
    const keyless = await startFakeOpenAi({ apiKey: null });
    try {
      const [result] = await provider({ baseUrl: keyless.url, apiKey: undefined, jsonMode: false, temperature: null, model: 'llama3.1' }).translate({ texts: ['Hi'], target: 'es' });
      expect(result?.text).toBe('[es] HI');
      expect(keyless.requests[0]?.headers.authorization).toBeUndefined();
      expect(keyless.requests[0]?.body).not.toHaveProperty('response_format');
      expect(keyless.requests[0]?.body).not.toHaveProperty('temperature');
    } finally {
      await keyless.close();
    }
  });
});

describe('reading the model\'s answer', () => {
  it('accepts the JSON object, a bare list, objects with text, and JSON inside a code fence or prose', () => {
    expect(parseModelTranslations('{"translations": ["a", "b"]}', 2).map((item) => item.text)).toEqual(['a', 'b']);
    expect(parseModelTranslations('["a"]', 1).map((item) => item.text)).toEqual(['a']);
    expect(parseModelTranslations('{"translations": [{"text": "a"}]}', 1).map((item) => item.text)).toEqual(['a']);
    expect(parseModelTranslations('```json\n{"translations": ["a"]}\n```', 1).map((item) => item.text)).toEqual(['a']);
    expect(parseModelTranslations('Here you go: {"translations": ["a"]} Hope it helps', 1).map((item) => item.text)).toEqual(['a']);
  });

  it('keeps only well-formed detected language codes', () => {
    expect(parseModelTranslations('{"translations": ["a", "b"], "detected": ["pt-BR", "Spanish"]}', 2)).toEqual([
      { text: 'a', detectedSource: 'pt' },
      { text: 'b' },
    ]);
  });

  it('refuses a list of the wrong length', () => {
    expect(() => parseModelTranslations('{"translations": ["a"]}', 2)).toThrow('the model answered 1 translations for 2 texts');
  });
});
