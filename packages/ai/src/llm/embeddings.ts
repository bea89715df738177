import { z } from 'zod';
import { TranslationError } from '../translation/errors.ts';
import { joinUrl, postJson } from '../translation/http.ts';
import { retryPolicySchema, withRetry } from '../translation/retry.ts';
import { openAiError } from './chat.ts';

/**
 * Embeddings from any OpenAI-compatible API (`POST {baseUrl}/embeddings`,
 * https://platform.openai.com/docs/api-reference/embeddings/create): the knowledge base's articles are embedded in
 * the background and a question that full-text search cannot answer is looked up by meaning. Optional: without
 * them, search is full-text only.
 */
export const embeddingSettingsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL with the API version path, like https://api.openai.com/v1' }),
  apiKey: z.string().trim().min(1).optional(),
  model: z.string().trim().min(1, 'the model name is required, like text-embedding-3-small'),
  /**
   * The cosine similarity a question needs with an article for the article to answer it by meaning. Its scale is
   * the model's own: 0.5 suits OpenAI's text-embedding-3 models; measure others on your questions.
   */
  minSimilarity: z.number().min(0, 'between 0 and 1').max(1, 'between 0 and 1').default(0.5),
  timeoutMs: z.number().int().min(1_000, 'at least 1000 ms').max(300_000, 'at most 300000 ms').default(30_000),
  /** Texts per request. */
  batch: z.number().int().min(1).max(2_048).default(64),
  retry: retryPolicySchema.prefault({}),
});
export type EmbeddingSettings = z.output<typeof embeddingSettingsSchema>;

export interface EmbeddingClient {
  readonly model: string;
  readonly minSimilarity: number;
  /** One vector per text, in order. Throws the package's provider errors (`TranslationError` kinds). */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

const answerSchema = z.object({ data: z.array(z.object({ index: z.number().int(), embedding: z.array(z.number()) })) });

export function createEmbeddingClient(settings: EmbeddingSettings): EmbeddingClient {
  const url = joinUrl(settings.baseUrl, '/embeddings');
  const call = (input: readonly string[], signal?: AbortSignal) =>
    withRetry(
      async () => {
        const answer = await postJson(url, {
          provider: 'embeddings',
          headers: settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {},
          body: { model: settings.model, input },
          timeoutMs: settings.timeoutMs,
          ...(signal ? { signal } : {}),
        });
        if (answer.status < 200 || answer.status >= 300) throw openAiError('embeddings', answer);
        const parsed = answerSchema.safeParse(answer.json);
        if (!parsed.success || parsed.data.data.length !== input.length) {
          throw new TranslationError('bad_response', 'embeddings', `expected ${input.length} embeddings in "data"`);
        }
        return [...parsed.data.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      },
      settings.retry,
      signal,
    );
  return {
    model: settings.model,
    minSimilarity: settings.minSimilarity,
    async embed(texts, signal) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += settings.batch) out.push(...(await call(texts.slice(i, i + settings.batch), signal)));
      return out;
    },
  };
}

export interface EmbeddingEnvironment {
  EMBEDDINGS_BASE_URL?: string | undefined;
  EMBEDDINGS_MODEL?: string | undefined;
  EMBEDDINGS_API_KEY?: string | undefined;
  EMBEDDINGS_MIN_SIMILARITY?: string | undefined;
}

const VARIABLES = { baseUrl: 'EMBEDDINGS_BASE_URL', model: 'EMBEDDINGS_MODEL', apiKey: 'EMBEDDINGS_API_KEY', minSimilarity: 'EMBEDDINGS_MIN_SIMILARITY' } as const;

/**
 * The embeddings the environment names, or null when none are set. Half-given or bad settings throw, naming the
 * variable, like every other setting at start.
 */
export function embeddingsFromEnv(env: EmbeddingEnvironment | NodeJS.ProcessEnv): EmbeddingClient | null {
  const value = (name: keyof EmbeddingEnvironment) => env[name]?.trim() || undefined;
  if (!Object.values(VARIABLES).some((name) => value(name) !== undefined)) return null;
  const similarity = value('EMBEDDINGS_MIN_SIMILARITY');
  const parsed = embeddingSettingsSchema.safeParse(
    {
      baseUrl: value('EMBEDDINGS_BASE_URL'),
      model: value('EMBEDDINGS_MODEL'),
      ...(value('EMBEDDINGS_API_KEY') ? { apiKey: value('EMBEDDINGS_API_KEY') } : {}),
      ...(similarity !== undefined ? { minSimilarity: Number(similarity) } : {}),
    },
    { reportInput: true },
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = VARIABLES[issue.path[0] as keyof typeof VARIABLES] ?? 'EMBEDDINGS_BASE_URL';
      return `  ${name}: ${issue.code === 'invalid_type' && issue.input === undefined ? 'required when another EMBEDDINGS_* setting is given' : issue.message}`;
    });
    throw new Error(`invalid settings:\n${lines.join('\n')}`);
  }
  return createEmbeddingClient(parsed.data);
}

/** A question's nearest articles by meaning: the query the knowledge repository's `searchByEmbedding` takes. */
export interface MeaningQuery {
  vector: number[];
  model: string;
  language: string | null;
  limit?: number;
}

/**
 * The `searchByMeaning` part of a workspace's language services: the question embedded, then the stored article
 * vectors searched (`byVector`, the repository's `searchByEmbedding` for the workspace).
 */
export function meaningSearch<H>(client: EmbeddingClient, byVector: (query: MeaningQuery) => Promise<H>, onError?: (error: unknown) => void) {
  return {
    search: async (text: string, language: string | null, limit?: number) => {
      const [vector] = await client.embed([text]);
      return byVector({ vector: vector ?? [], model: client.model, language, ...(limit ? { limit } : {}) });
    },
    minSimilarity: client.minSimilarity,
    ...(onError ? { onError } : {}),
  };
}
