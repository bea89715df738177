// The LLM answer: an OpenAI-compatible chat model answering from the workspace's articles, citing them.
export { createLlmClient, llmFromEnv, llmSettingsSchema, type LlmClient, type LlmEnvironment, type LlmSettings, type LlmSettingsInput } from './client.ts';
export { LlmError, NO_LLM_MESSAGE, type LlmErrorKind } from './errors.ts';
export {
  DEFAULT_ARTICLE_CHARS,
  DEFAULT_GROUNDING_ARTICLES,
  REFUSAL_TOKEN,
  groundingPrompt,
  parseGroundedReply,
  selectGroundingArticles,
  type Citation,
  type GroundedAnswer,
  type GroundingArticle,
  type GroundingOptions,
} from './grounded.ts';
export { createEmbeddingClient, embeddingSettingsSchema, embeddingsFromEnv, meaningSearch, type MeaningQuery, type EmbeddingClient, type EmbeddingEnvironment, type EmbeddingSettings } from './embeddings.ts';
