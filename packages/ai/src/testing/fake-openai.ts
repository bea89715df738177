import { fakeTranslateMarked, type FakeEngineOptions } from './fake-translation.ts';
import { field, startFakeServer, type FakeResponse, type FakeServer, type FakeServerOptions } from './fake-server.ts';

/**
 * An OpenAI-compatible `POST /v1/chat/completions` as documented
 * (https://platform.openai.com/docs/api-reference/chat/create): bearer key, `model`, `messages`,
 * `response_format: { type: "json_object" }` (refused unless a message mentions JSON, as OpenAI does); answers
 * `{ choices: [{ message: { role, content }, finish_reason }], usage }`. Errors are
 * `{ error: { message, type, param, code } }`: 401 `invalid_api_key`, 429 `rate_limit_exceeded` or
 * `insufficient_quota`, 500 `server_error`.
 *
 * The model is played by `reply`; the default follows the translation contract of the OpenAI translation
 * provider (a JSON user message with `target` and `texts`, answered with `{ "translations": [...] }`, keeping
 * `<x id="…">…</x>` elements), so other features can pass their own `reply` and reuse the server.
 */

export interface ChatMessage {
  role: string;
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  body: Record<string, unknown>;
}

export interface ChatReply {
  content: string;
  finishReason?: 'stop' | 'length' | 'content_filter';
}

export interface FakeOpenAiOptions extends FakeEngineOptions, FakeServerOptions {
  /** The bearer key the fake accepts; null plays a local server that needs none. */
  apiKey?: string | null;
  /** Models that exist; others answer 404 `model_not_found`. Any model when unset. */
  models?: readonly string[];
  reply?: (request: ChatRequest) => string | ChatReply;
  /** Plays the embedding model of `POST /v1/embeddings`; default `bagOfWordsEmbedding`. */
  embed?: (text: string) => number[];
}

/**
 * A stand-in embedding model: words (accents folded, a plural s dropped) hashed into 256 dimensions, unit length.
 * Texts sharing words are similar, as with a real model; it knows no synonyms.
 */
export function bagOfWordsEmbedding(text: string): number[] {
  const vector = new Array<number>(256).fill(0);
  const words = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().match(/\p{L}{3,}/gu) ?? [];
  for (const word of words) {
    const stem = word.replace(/s$/, '');
    let hash = 2166136261;
    for (const char of stem) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    vector[hash % 256]! += 1;
  }
  const length = Math.hypot(...vector) || 1;
  return vector.map((v) => v / length);
}

const openAiError = (status: number, message: string, type: string, code: string | null, headers?: Record<string, string>): FakeResponse => ({
  status,
  body: { error: { message, type, param: null, code } },
  ...(headers ? { headers } : {}),
});

const KEPT_ELEMENT = /<x\b[^>]*>[\s\S]*?<\/x\s*>/g;

/** The default model: a perfect translator that follows the provider's prompt contract. */
export function translationReply(options: FakeEngineOptions = {}): (request: ChatRequest) => string {
  return (request) => {
    const user = [...request.messages].reverse().find((message) => message.role === 'user');
    const payload: unknown = JSON.parse(user?.content ?? '{}');
    const target = String(field(payload, 'target') ?? 'en');
    const texts = field(payload, 'texts');
    if (!Array.isArray(texts)) return 'I can only translate a JSON list of texts.';
    const translations = texts.map((text) =>
      fakeTranslateMarked(String(text), target, { protectedElement: KEPT_ELEMENT, decode: (value) => value, encode: (value) => value }, options),
    );
    const detected = field(payload, 'source') === undefined ? texts.map((text) => options.detect?.(String(text)) ?? 'en') : undefined;
    return JSON.stringify(detected ? { translations, detected } : { translations });
  };
}

export function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeServer> {
  const apiKey = options.apiKey === undefined ? 'sk-test-key' : options.apiKey;
  const reply = options.reply ?? translationReply(options);
  return startFakeServer(
    (request, failure) => {
      if (request.method !== 'POST' || (request.path !== '/v1/chat/completions' && request.path !== '/v1/embeddings')) {
        return openAiError(404, `Invalid URL (${request.method} ${request.path})`, 'invalid_request_error', null);
      }
      if ((apiKey !== null && request.headers.authorization !== `Bearer ${apiKey}`) || failure?.type === 'auth') {
        return openAiError(401, 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key');
      }
      if (failure?.type === 'rate_limit') {
        return openAiError(
          429,
          'Rate limit reached for requests. Please try again in 1s.',
          'requests',
          'rate_limit_exceeded',
          failure.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(failure.retryAfterSeconds) },
        );
      }
      if (failure?.type === 'quota') {
        return openAiError(429, 'You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota');
      }
      if (failure?.type === 'server_error') return openAiError(failure.status ?? 500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null);
      if (failure?.type === 'bad_request') return openAiError(400, failure.message ?? 'Invalid request', 'invalid_request_error', null);

      const body = request.body;
      const model = field(body, 'model');
      if (typeof model !== 'string' || !model) return openAiError(400, 'you must provide a model parameter', 'invalid_request_error', null);
      if (options.models && !options.models.includes(model)) {
        return openAiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
      }
      if (request.path === '/v1/embeddings') {
        const input = field(body, 'input');
        const texts = typeof input === 'string' ? [input] : Array.isArray(input) ? input.map(String) : null;
        if (!texts || texts.length === 0) return openAiError(400, "'input' must be a string or a non-empty array of strings", 'invalid_request_error', null);
        const embed = options.embed ?? bagOfWordsEmbedding;
        return {
          status: 200,
          body: { object: 'list', model, data: texts.map((text, index) => ({ object: 'embedding', index, embedding: embed(text) })), usage: { prompt_tokens: 0, total_tokens: 0 } },
        };
      }
      const rawMessages = field(body, 'messages');
      const messages = Array.isArray(rawMessages)
        ? rawMessages.map((message: unknown) => ({ role: String(field(message, 'role') ?? ''), content: String(field(message, 'content') ?? '') }))
        : [];
      if (messages.length === 0) return openAiError(400, "Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter');
      if (field(field(body, 'response_format'), 'type') === 'json_object' && !messages.some((message) => /json/i.test(message.content))) {
        return openAiError(400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'invalid_request_error', null);
      }

      const answer = reply({ model, messages, body: typeof body === 'object' && body !== null ? { ...body } : {} });
      const { content, finishReason } = typeof answer === 'string' ? { content: answer, finishReason: 'stop' } : answer;
      return {
        status: 200,
        body: {
          id: `chatcmpl-fake-${Date.now()}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason ?? 'stop' }],
          usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        },
      };
    },
    { ...options, basePath: options.basePath ?? '/v1' },
  );
}
