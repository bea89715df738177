import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LlmUnavailable } from '@signalbox/nodes';
import type { KnowledgeHit } from '../knowledge/answer.ts';
import { aiServices } from '../services.ts';
import { startFakeOpenAi, type ChatReply, type ChatRequest, type FakeServer } from '../testing/index.ts';
import { createTranslator } from '../translation/translator.ts';
import { createLlmClient, llmFromEnv, llmSettingsSchema, type LlmClient } from './client.ts';
import { LlmError } from './errors.ts';
import { REFUSAL_TOKEN, type GroundingArticle } from './grounded.ts';

const KEY = 'sk-test-key';
let fake: FakeServer;
/** What the fake model answers; each test may swap it. */
let reply: (request: ChatRequest) => string | ChatReply;

/** A model that answers from article [1] when the prompt holds it, and refuses otherwise. */
const answersFromReturns = (request: ChatRequest) =>
  request.messages.some((m) => m.content.includes('[1] Devoluciones')) ? 'Las devoluciones son gratis durante 30 días [1].' : REFUSAL_TOKEN;

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY, reply: (request) => reply(request), models: ['gpt-4o-mini'] });
});
afterAll(() => fake.close());
afterEach(() => {
  fake.reset();
  reply = answersFromReturns;
});
reply = answersFromReturns;

const client = (overrides: Record<string, unknown> = {}): LlmClient =>
  createLlmClient(llmSettingsSchema.parse({ baseUrl: fake.url, apiKey: KEY, model: 'gpt-4o-mini', retry: { retries: 2, minDelayMs: 5, maxDelayMs: 20 }, ...overrides }));

const devoluciones: GroundingArticle & { id: string } = {
  id: 'es-1',
  kind: 'faq',
  title: 'Devoluciones',
  body: 'Las devoluciones son gratuitas durante **30 días**.',
  language: 'es',
};
const envios: GroundingArticle & { id: string } = { id: 'es-2', kind: 'faq', title: 'Envíos', body: 'Los envíos tardan de 3 a 5 días.', language: 'es' };

/** The language services with a knowledge base of these hits, and this LLM. */
function services(llm: LlmClient | null, hits: KnowledgeHit<GroundingArticle>[]) {
  const searches: { text: string; language: string | null; limit: number | undefined }[] = [];
  const ai = aiServices({
    language: () => Promise.reject(new Error('not used')),
    intents: () => Promise.reject(new Error('not used')),
    emotion: () => Promise.reject(new Error('not used')),
    translator: createTranslator({ provider: null }),
    searchKnowledge: async (text, language, limit) => {
      searches.push({ text, language, limit });
      return hits;
    },
    llm,
  });
  return { ai, searches };
}

async function llmFailure(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof LlmError)) throw new Error(`expected an LlmError, got ${String(error)}`);
  return error;
}

const question = '¿Puedo devolver unos zapatos?';
const ask = (llm: LlmClient) => llm.groundedAnswer(question, { language: 'es', articles: [devoluciones, envios] });

describe('the LLM answer against an OpenAI-compatible server', () => {
  it('answers from the retrieved articles, citing them, with the prompt and key sent to /chat/completions', async () => {
    const { ai, searches } = services(client(), [
      { article: devoluciones, score: 0.5, normalizedScore: 0.8 },
      { article: envios, score: 0.3, normalizedScore: 0.5 },
      { article: { ...envios, id: 'es-3', title: 'Pagos' }, score: 0.1, normalizedScore: 0.1 },
    ]);
    expect(await ai.answerWithLlm(question, { language: 'es', threshold: 0.4, maxArticles: 3 })).toEqual({
      text: 'Las devoluciones son gratis durante 30 días [1].',
      citations: [{ id: 'es-1', title: 'Devoluciones' }],
    });
    expect(searches).toEqual([{ text: question, language: 'es', limit: 3 }]);
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0];
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    const body = request?.body as { model: string; messages: { role: string; content: string }[]; temperature?: number };
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.temperature).toBeUndefined();
    expect(body.messages[0]?.content).toContain('Spanish (es)');
    // The two articles above the threshold, numbered; the weak one is not paid for.
    expect(body.messages[1]?.content).toContain('[1] Devoluciones\nLas devoluciones son gratuitas durante 30 días.');
    expect(body.messages[1]?.content).toContain('[2] Envíos');
    expect(body.messages[1]?.content).not.toContain('Pagos');
    expect(body.messages[1]?.content).toContain(question);
  });

  it('is no answer when the model says the refusal token', async () => {
    reply = () => REFUSAL_TOKEN;
    expect(await ask(client())).toBeNull();
    expect(fake.requests).toHaveLength(1);
  });

  it('does not call the model when retrieval finds nothing above the threshold', async () => {
    const { ai } = services(client(), [{ article: devoluciones, score: 0.1, normalizedScore: 0.2 }]);
    expect(await ai.answerWithLlm('what is the meaning of life', { language: 'en', threshold: 0.4 })).toBeNull();
    expect(await services(client(), []).ai.answerWithLlm('anything', { language: null })).toBeNull();
    expect(await client().groundedAnswer('anything', { language: null, articles: [] })).toBeNull();
    expect(fake.requests).toHaveLength(0);
  });

  it('waits out a 429 for its Retry-After and then answers', async () => {
    fake.fail({ type: 'rate_limit', retryAfterSeconds: 1 });
    const started = performance.now();
    expect(await ask(client())).toMatchObject({ citations: [{ id: 'es-1' }] });
    expect(fake.requests).toHaveLength(2);
    expect((fake.requests[1]?.receivedAt ?? 0) - (fake.requests[0]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(990);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('retries a 500 and then fails as unavailable, which the flow sees as LlmUnavailable', async () => {
    fake.fail({ type: 'server_error' }, { type: 'server_error' }, { type: 'server_error' });
    const error = await llmFailure(ask(client()));
    expect(error.kind).toBe('unavailable');
    expect(error.status).toBe(500);
    expect(error.message).toMatch(/^unavailable: The server had an error/);
    expect(fake.requests).toHaveLength(3);

    fake.reset();
    fake.fail({ type: 'server_error' }, { type: 'server_error' }, { type: 'server_error' });
    const { ai } = services(client(), [{ article: devoluciones, score: 0.5, normalizedScore: 0.8 }]);
    await expect(ai.answerWithLlm(question, { language: 'es' })).rejects.toThrow(LlmUnavailable);
  });

  it('gives up on a slow answer as a timeout, without retrying', async () => {
    fake.fail({ type: 'slow', delayMs: 3_000 });
    const started = performance.now();
    const error = await llmFailure(ask(client({ timeoutMs: 1_000 })));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('timeout: no complete answer within 1000 ms');
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(fake.requests).toHaveLength(1);
  });

  it("reports a wrong key as auth with OpenAI's message, without retrying", async () => {
    const error = await llmFailure(ask(client({ apiKey: 'sk-wrong' })));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.providerMessage).toMatch(/^Incorrect API key provided/);
    expect(fake.requests).toHaveLength(1);
  });

  it('says no LLM is set, without searching, when the process has none', async () => {
    const { ai, searches } = services(null, [{ article: devoluciones, score: 0.5, normalizedScore: 0.8 }]);
    await expect(ai.answerWithLlm(question, { language: 'es' })).rejects.toThrow(new LlmUnavailable('no LLM provider is set: set LLM_BASE_URL and LLM_MODEL'));
    expect(searches).toEqual([]);
  });
});

describe('LLM settings from the environment', () => {
  it('is none when nothing is set, and a client when the URL and model are', () => {
    expect(llmFromEnv({})).toBeNull();
    expect(llmFromEnv({ LLM_BASE_URL: '  ', LLM_MODEL: '' })).toBeNull();
    expect(llmFromEnv({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'llama3.1', LLM_TIMEOUT_MS: '20000' })?.model).toBe('llama3.1');
  });

  it('names the variable at fault', () => {
    expect(() => llmFromEnv({ LLM_API_KEY: 'sk-1' })).toThrow(/LLM_BASE_URL: required.*\(LLM_API_KEY is set\)\n {2}LLM_MODEL: required/s);
    expect(() => llmFromEnv({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1' })).toThrow(/^invalid settings:\n {2}LLM_MODEL: required/);
    expect(() => llmFromEnv({ LLM_BASE_URL: 'localhost:11434', LLM_MODEL: 'llama3.1' })).toThrow(/LLM_BASE_URL: an http\(s\) URL/);
    expect(() => llmFromEnv({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'llama3.1', LLM_TIMEOUT_MS: 'soon' })).toThrow(/LLM_TIMEOUT_MS: a number/);
    expect(() => llmFromEnv({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'llama3.1', LLM_TIMEOUT_MS: '5' })).toThrow(/LLM_TIMEOUT_MS: /);
  });
});
