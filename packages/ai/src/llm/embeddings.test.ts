import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bagOfWordsEmbedding, startFakeOpenAi, type FakeServer } from '../testing/index.ts';
import { isTranslationError } from '../translation/errors.ts';
import { createEmbeddingClient, embeddingsFromEnv } from './embeddings.ts';

describe('embeddings', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  afterAll(async () => {
    await fake.close();
  });

  const client = (apiKey = 'sk-test-key') => createEmbeddingClient({ baseUrl: fake.url, apiKey, model: 'text-embedding-3-small', minSimilarity: 0.5, timeoutMs: 5_000, batch: 2, retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 2_000 } });

  it('embeds texts in batches, in order', async () => {
    const before = fake.requests.length;
    const vectors = await client().embed(['free returns', 'delivery times', 'gift cards']);
    expect(vectors).toEqual(['free returns', 'delivery times', 'gift cards'].map(bagOfWordsEmbedding));
    expect(fake.requests.length - before).toBe(2);
  });

  it('retries a rate limit and reports a wrong key as auth', async () => {
    fake.fail({ type: 'rate_limit', retryAfterSeconds: 0 });
    expect(await client().embed(['hello there'])).toHaveLength(1);
    const error = await client('wrong').embed(['hello there']).catch((e: unknown) => e);
    expect(isTranslationError(error) && error.kind).toBe('auth');
  });

  it('reads its settings from the environment, naming what is missing', () => {
    expect(embeddingsFromEnv({})).toBeNull();
    expect(embeddingsFromEnv({ EMBEDDINGS_BASE_URL: 'http://127.0.0.1:9/v1', EMBEDDINGS_MODEL: 'm', EMBEDDINGS_MIN_SIMILARITY: '0.7' })?.minSimilarity).toBe(0.7);
    expect(() => embeddingsFromEnv({ EMBEDDINGS_BASE_URL: 'http://127.0.0.1:9/v1' })).toThrow('EMBEDDINGS_MODEL: required when another EMBEDDINGS_* setting is given');
    expect(() => embeddingsFromEnv({ EMBEDDINGS_BASE_URL: 'x', EMBEDDINGS_MODEL: 'm', EMBEDDINGS_MIN_SIMILARITY: '2' })).toThrow(/EMBEDDINGS_BASE_URL: .*\n.*EMBEDDINGS_MIN_SIMILARITY: between 0 and 1/);
  });
});
