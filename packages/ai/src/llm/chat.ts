import { z } from 'zod';
import { TranslationError } from '../translation/errors.ts';
import { answerError, joinUrl, kindFromStatus, postJson, type ProviderAnswer } from '../translation/http.ts';
import { withRetry, type RetryPolicy } from '../translation/retry.ts';

/**
 * One call to any OpenAI-compatible chat completions API (OpenAI, Azure-style gateways, vLLM, Ollama, LM Studio, …):
 * `POST {baseUrl}/chat/completions` (https://platform.openai.com/docs/api-reference/chat/create). Shared by the
 * OpenAI translation provider and the LLM answer, so both retry, time out and read OpenAI's errors the same way.
 *
 * Failures are the package's typed provider errors (`TranslationError`, whose kinds are not about translation);
 * the LLM answer turns them into `LlmError` at its edge.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatEndpoint {
  /** Named in error messages (`openai: Incorrect API key provided`). */
  provider: string;
  /** Including the version path, as OpenAI-compatible servers document it (`http://localhost:11434/v1`). */
  baseUrl: string;
  /** Sent as a bearer token; local servers often need none. */
  apiKey?: string | undefined;
  model: string;
  timeoutMs: number;
  retry: RetryPolicy;
}

export interface ChatRequest {
  messages: readonly ChatMessage[];
  /** Left out when undefined: some models accept only their default. */
  temperature?: number | undefined;
  /** Asks for `response_format: json_object` (the prompt must then mention JSON, as OpenAI requires). */
  jsonMode?: boolean;
}

const chatAnswerSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional() }).loose(),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
});

const openAiErrorSchema = z.looseObject({
  error: z.union([z.string(), z.looseObject({ message: z.string().optional(), type: z.string().nullable().optional(), code: z.string().nullable().optional() })]).optional(),
  message: z.string().optional(),
  detail: z.string().optional(),
});

/**
 * The first choice's text, after retrying rate limits and provider-side failures. An answer cut at the model's
 * token limit is a `bad_response`: half a translation or half an answer is worse than none.
 */
export function chatCompletion(endpoint: ChatEndpoint, request: ChatRequest, signal?: AbortSignal): Promise<string> {
  const url = joinUrl(endpoint.baseUrl, '/chat/completions');
  const body: Record<string, unknown> = { model: endpoint.model, messages: request.messages };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.jsonMode) body.response_format = { type: 'json_object' };
  return withRetry(
    async () => {
      const answer = await postJson(url, {
        provider: endpoint.provider,
        headers: endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {},
        body,
        timeoutMs: endpoint.timeoutMs,
        ...(signal ? { signal } : {}),
      });
      return readChatAnswer(endpoint.provider, answer);
    },
    endpoint.retry,
    signal,
  );
}

function readChatAnswer(provider: string, answer: ProviderAnswer): string {
  if (answer.status < 200 || answer.status >= 300) throw openAiError(provider, answer);
  const parsed = chatAnswerSchema.safeParse(answer.json);
  if (!parsed.success) throw new TranslationError('bad_response', provider, 'the answer has no "choices[0].message"');
  const choice = parsed.data.choices[0];
  if (choice?.finish_reason === 'length') {
    throw new TranslationError('bad_response', provider, "the answer was cut off at the model's token limit");
  }
  return choice?.message.content ?? '';
}

/** OpenAI: `{ error: { message, type, code } }`; a used-up balance is a 429 with `insufficient_quota`. */
export function openAiError(provider: string, answer: ProviderAnswer): TranslationError {
  const parsed = openAiErrorSchema.safeParse(answer.json);
  const body = parsed.success ? parsed.data : {};
  const error = body.error;
  const message = typeof error === 'string' ? error : (error?.message ?? body.message ?? body.detail);
  const code = typeof error === 'object' ? `${error.code ?? ''} ${error.type ?? ''}` : '';
  const kind = answer.status === 429 && /insufficient_quota/.test(code) ? 'quota' : kindFromStatus(answer.status);
  return answerError(provider, answer, kind, message);
}
