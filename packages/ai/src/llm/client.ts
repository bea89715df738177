import { z } from 'zod';
import { retryPolicySchema } from '../translation/retry.ts';
import { chatCompletion, type ChatEndpoint } from './chat.ts';
import { toLlmError } from './errors.ts';
import { DEFAULT_ARTICLE_CHARS, groundingPrompt, parseGroundedReply, type GroundedAnswer, type GroundingOptions } from './grounded.ts';

export const llmSettingsSchema = z.object({
  /** Including the version path (`https://api.openai.com/v1`, `http://localhost:11434/v1` for Ollama). */
  baseUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL with the API version path, like https://api.openai.com/v1' }),
  /** Sent as a bearer token; local servers often need none. */
  apiKey: z.string().trim().min(1).optional(),
  model: z.string().trim().min(1, 'the model name is required, like gpt-4o-mini'),
  /** One attempt's limit; a customer is waiting, so it is shorter than translation's. */
  timeoutMs: z.number().int().min(1_000, 'at least 1000 ms').max(300_000, 'at most 300000 ms (5 minutes)').default(30_000),
  retry: retryPolicySchema.prefault({}),
  maxArticleChars: z.number().int().min(200).max(50_000).default(DEFAULT_ARTICLE_CHARS),
});

export type LlmSettings = z.output<typeof llmSettingsSchema>;
export type LlmSettingsInput = z.input<typeof llmSettingsSchema>;

export interface LlmClient {
  readonly model: string;
  /**
   * Asks the model to answer from the articles; null when it refused or cited none of them. With no articles
   * it returns null without a request: nothing relevant was found, so there is nothing to pay for.
   * Throws `LlmError` when the provider fails.
   */
  groundedAnswer(question: string, options: GroundingOptions, signal?: AbortSignal): Promise<GroundedAnswer | null>;
}

export function createLlmClient(settings: LlmSettings): LlmClient {
  const endpoint: ChatEndpoint = {
    provider: 'llm',
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    model: settings.model,
    timeoutMs: settings.timeoutMs,
    retry: settings.retry,
  };
  return {
    model: settings.model,
    async groundedAnswer(question, options, signal) {
      if (options.articles.length === 0 || question.trim() === '') return null;
      const messages = groundingPrompt(question, { maxArticleChars: settings.maxArticleChars, ...options });
      let content: string;
      try {
        // Temperature left at the model's default: several current models refuse any other value.
        content = await chatCompletion(endpoint, { messages }, signal);
      } catch (error) {
        throw toLlmError(error);
      }
      return parseGroundedReply(content, options.articles);
    },
  };
}

/** The environment variables that configure the LLM for a process (the runner, the web app's preview, `signalbox run`). */
export interface LlmEnvironment {
  LLM_BASE_URL?: string | undefined;
  LLM_API_KEY?: string | undefined;
  LLM_MODEL?: string | undefined;
  LLM_TIMEOUT_MS?: string | undefined;
}

const llmEnvSchema = z.object({
  LLM_BASE_URL: z.string({ error: 'required: the OpenAI-compatible API, like https://api.openai.com/v1' }),
  LLM_MODEL: z.string({ error: 'required: the model name, like gpt-4o-mini' }),
  LLM_API_KEY: z.string().optional(),
  LLM_TIMEOUT_MS: z.coerce.number({ error: 'a number of milliseconds, like 30000' }).optional(),
});

/** The setting each field comes from, so a refusal names what to fix. */
const VARIABLES: Record<string, string> = { baseUrl: 'LLM_BASE_URL', apiKey: 'LLM_API_KEY', model: 'LLM_MODEL', timeoutMs: 'LLM_TIMEOUT_MS' };

/**
 * The LLM the environment names, or null when none is set (the llm-answer node then says so on its error port).
 * Bad or half-given settings throw, naming the variable, like every other setting at start.
 */
export function llmFromEnv(env: LlmEnvironment | NodeJS.ProcessEnv): LlmClient | null {
  const value = (name: keyof LlmEnvironment) => env[name]?.trim() || undefined;
  const given = (['LLM_BASE_URL', 'LLM_MODEL', 'LLM_API_KEY', 'LLM_TIMEOUT_MS'] as const).filter((name) => value(name) !== undefined);
  if (given.length === 0) return null;
  const fail = (lines: string[]) => new Error(`invalid settings:\n${lines.map((line) => `  ${line}`).join('\n')}`);
  const raw = llmEnvSchema.safeParse(Object.fromEntries(given.map((name) => [name, value(name)])));
  if (!raw.success) {
    const because = `${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} set`;
    throw fail(raw.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}${issue.input === undefined ? ` (${because})` : ''}`));
  }
  const parsed = llmSettingsSchema.safeParse({
    baseUrl: raw.data.LLM_BASE_URL,
    model: raw.data.LLM_MODEL,
    ...(raw.data.LLM_API_KEY ? { apiKey: raw.data.LLM_API_KEY } : {}),
    ...(raw.data.LLM_TIMEOUT_MS !== undefined ? { timeoutMs: raw.data.LLM_TIMEOUT_MS } : {}),
  });
  if (!parsed.success) throw fail(parsed.error.issues.map((issue) => `${VARIABLES[String(issue.path[0])] ?? 'LLM_BASE_URL'}: ${issue.message}`));
  return createLlmClient(parsed.data);
}
