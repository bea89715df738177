/**
 * What the language nodes ask of the language services (`packages/ai`, wired in by the runner, the editor's
 * preview and the CLI). Only shapes here: `packages/nodes` does no I/O and depends on nothing of ours.
 */

export const EMOTIONS = ['anger', 'disgust', 'fear', 'joy', 'neutral', 'sadness', 'surprise'] as const;
export type Emotion = (typeof EMOTIONS)[number];

export interface LanguageGuess {
  /** ISO 639-1, or null when the text says nothing (empty, emoji, digits) or the detector is unsure. */
  language: string | null;
  confidence: number;
}

export interface IntentGuess {
  /** The best intent at or above the threshold, else null ("not sure"). */
  intent: string | null;
  confidence: number;
  /** The other likely intents, best first. */
  runnersUp: readonly { readonly intent: string; readonly confidence: number }[];
  /** The threshold applied (the node's, or the model's default), when the classifier says. */
  threshold?: number;
}

export interface EmotionGuess {
  emotion: Emotion;
  confidence: number;
}

export interface TranslationRequest {
  text: string;
  /** ISO 639-1; null lets the provider detect it. */
  source: string | null;
  target: string;
}

export interface Translation {
  text: string;
  /** The source language, as given or as the provider detected it. */
  source: string | null;
}

export interface KnowledgeAnswer {
  /** The reply: a FAQ's answer, or an article's title with its most relevant part, trimmed for a chat. */
  text: string;
  articleId: string;
  title: string;
  /** 0..1: the share of the question the article covers (rare words weigh more). */
  score: number;
  language: string;
}

export interface LlmAnswer {
  /** The model's reply, citing as [1], [2]: 1-based positions in `citations`. */
  text: string;
  /** The articles the reply cites, in the order it first cites them; never empty. */
  citations: readonly { readonly id: string; readonly title: string }[];
}

export interface LlmAnswerOptions {
  /** The customer's language; null: the model answers in the question's language. */
  language: string | null;
  /** The minimum normalised search score of an article given to the model (as `answerFromKnowledge`'s). */
  threshold?: number;
  /** How many of the best articles the model reads. */
  maxArticles?: number;
  /** The shop's words on tone and style, added to the prompt. */
  instructions?: string;
}

/**
 * Raised by `answerWithLlm` when no LLM is configured or the provider failed (its kind and message). Nodes take
 * their error port with its message.
 */
export class LlmUnavailable extends Error {
  override readonly name = 'LlmUnavailable';
}

/**
 * Raised by `translate` when it cannot: no provider configured, the provider refused or timed out. Nodes take
 * their error port with its message.
 */
export class TranslationUnavailable extends Error {
  override readonly name = 'TranslationUnavailable';
}

export interface AiServices {
  /** `prefer`: a language to favour in a near tie (the contact's locale or phone country: ms for +60). */
  detectLanguage(text: string, options: { candidates?: readonly string[]; prefer?: string }): Promise<LanguageGuess>;
  /** Classifies with the workspace's intents; `threshold` overrides the shipped one. */
  classifyIntent(text: string, options: { threshold?: number }): Promise<IntentGuess>;
  detectEmotion(text: string): Promise<EmotionGuess>;
  translate(request: TranslationRequest): Promise<Translation>;
  /** The workspace's best published answer at or above `threshold`, preferring the customer's language; null: none. */
  answerFromKnowledge(question: string, options: { language: string | null; threshold?: number }): Promise<KnowledgeAnswer | null>;
  /**
   * An answer a language model writes from the workspace's best published articles, citing them; null when no
   * article reaches the threshold (the model is not asked) or the model found no answer in them.
   */
  answerWithLlm(question: string, options: LlmAnswerOptions): Promise<LlmAnswer | null>;
}
