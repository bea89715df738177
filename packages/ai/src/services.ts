import { LlmUnavailable, TranslationUnavailable, type AiServices, type EmotionGuess, type IntentGuess, type KnowledgeAnswer } from '@signalbox/nodes';
import { answerText, selectAnswer, type AnswerableArticle, type KnowledgeHit } from './knowledge/answer.ts';
import type { LanguageDetector } from './language/detector.ts';
import type { LlmClient } from './llm/client.ts';
import { LlmError, NO_LLM_MESSAGE } from './llm/errors.ts';
import { selectGroundingArticles } from './llm/grounded.ts';
import { isTranslationError } from './translation/errors.ts';
import type { Translator } from './translation/translator.ts';

/** A workspace's trained intents, as the classify-intent node uses them. */
export interface IntentSource {
  classify(text: string, options: { threshold?: number }): IntentGuess | Promise<IntentGuess>;
}

export interface EmotionSource {
  detect(text: string): EmotionGuess | Promise<EmotionGuess>;
}

/** What one workspace's flows use; each part is loaded on first use, so a flow without language nodes costs nothing. */
export interface WorkspaceLanguageServices {
  language: () => Promise<LanguageDetector>;
  intents: () => Promise<IntentSource>;
  emotion: () => Promise<EmotionSource>;
  translator: Pick<Translator, 'translate'>;
  /** The workspace's published articles that match a question, best first (the knowledge repository's `search`). */
  searchKnowledge: (text: string, language: string | null, limit?: number) => Promise<readonly KnowledgeHit<AnswerableArticle & { id: string }>[]>;
  /** The LLM the process is configured with (`llmFromEnv`); null: the llm-answer node says none is set. */
  llm: LlmClient | null;
  /**
   * Optional: the published articles nearest the question by meaning (embeddings), scored by cosine similarity,
   * and the similarity an answer needs. Asked only when full-text search finds nothing good enough; a failure
   * leaves the answer to full-text search alone.
   */
  searchByMeaning?: {
    search: (text: string, language: string | null, limit?: number) => Promise<readonly KnowledgeHit<AnswerableArticle & { id: string }>[]>;
    minSimilarity: number;
    onError?: (error: unknown) => void;
  };
}

/**
 * The language services a flow's nodes call (`Services.ai`), for one workspace. The runner's worker, the editor's
 * preview and the CLI's headless `run` all build theirs here, so a preview answers as the live flow would.
 */
export function aiServices(parts: WorkspaceLanguageServices): AiServices {
  const byMeaning = async (question: string, language: string | null, limit?: number) => {
    if (!parts.searchByMeaning || question.trim() === '') return [];
    try {
      return await parts.searchByMeaning.search(question, language, limit);
    } catch (error) {
      parts.searchByMeaning.onError?.(error);
      return [];
    }
  };
  return {
    async detectLanguage(text, options) {
      const detector = await parts.language();
      const found = detector.detect(text, {
        ...(options.candidates ? { candidates: options.candidates } : {}),
        ...(options.prefer ? { prefer: [options.prefer] } : {}),
      });
      return { language: found.language, confidence: found.confidence };
    },
    async classifyIntent(text, options) {
      return (await parts.intents()).classify(text, options);
    },
    async detectEmotion(text) {
      return (await parts.emotion()).detect(text);
    },
    async answerFromKnowledge(question, options) {
      const hit =
        selectAnswer(await parts.searchKnowledge(question, options.language), { threshold: options.threshold, language: options.language }) ??
        selectAnswer(await byMeaning(question, options.language), { threshold: parts.searchByMeaning?.minSimilarity, language: options.language });
      if (!hit) return null;
      const answer: KnowledgeAnswer = {
        text: answerText(hit.article, { question }),
        articleId: hit.article.id,
        title: hit.article.title,
        score: hit.normalizedScore,
        language: hit.article.language,
      };
      return answer;
    },
    async answerWithLlm(question, options) {
      if (!parts.llm) throw new LlmUnavailable(NO_LLM_MESSAGE);
      const hits = await parts.searchKnowledge(question, options.language, options.maxArticles);
      let articles = selectGroundingArticles(hits, options);
      if (articles.length === 0 && parts.searchByMeaning) {
        articles = selectGroundingArticles(await byMeaning(question, options.language, options.maxArticles), { ...options, threshold: parts.searchByMeaning.minSimilarity });
      }
      try {
        return await parts.llm.groundedAnswer(question, { language: options.language, articles, instructions: options.instructions });
      } catch (error) {
        if (error instanceof LlmError) throw new LlmUnavailable(error.message);
        throw error;
      }
    },
    async translate(request) {
      try {
        const [result] = await parts.translator.translate({ texts: [request.text], target: request.target, ...(request.source ? { source: request.source } : {}) });
        return { text: result?.text ?? request.text, source: request.source ?? result?.detectedSource ?? null };
      } catch (error) {
        // The flow's error port gets the provider's reason in the operator's terms (kind and message).
        if (isTranslationError(error)) throw new TranslationUnavailable(error.kind === 'not_configured' ? error.providerMessage : `${error.kind}: ${error.message}`);
        throw error;
      }
    },
  };
}
