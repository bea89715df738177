import type { Logger } from 'pino';
import { aiServices, createTranslator, knowledgeText, loadLanguageDetector, meaningSearch, workspaceTranslator, type EmbeddingClient, type EmotionSource, type IntentSource, type LlmClient, type TranslationProvider } from '@signalbox/ai';
import { KnowledgeRepository, TranslationMemoryStore, type Pool, type WorkspaceTranslationRepository } from '@signalbox/db';
import type { AiServices } from '@signalbox/nodes';

export interface LanguageModels {
  /** The intents a workspace's classify-intent nodes use. */
  intents(workspaceId: string): Promise<IntentSource>;
  emotion(): Promise<EmotionSource>;
}

/**
 * The language services of every workspace this process runs flows for: language detection and the emotion
 * model are shared (loaded on first use), intents are the workspace's, and each workspace's translations go
 * through its own memory in the database, so the same sentence is never paid for twice; answers come from the
 * workspace's published knowledge base, as found or as the configured LLM writes them from it.
 */
export class LanguageServices {
  private readonly byWorkspace = new Map<string, AiServices>();
  private readonly knowledge: KnowledgeRepository;

  constructor(
    private readonly options: {
      pool: Pool;
      provider: TranslationProvider | null;
      /** The LLM of the llm-answer node (`llmFromEnv`); null when none is set. */
      llm: LlmClient | null;
      /** Embeddings for looking questions up by meaning (`embeddingsFromEnv`); null: full-text search only. */
      embeddings?: EmbeddingClient | null;
      glossary: readonly string[];
      /** Workspaces' own providers, set in the web app; they replace `provider` and `glossary` for that workspace. */
      translationSettings?: WorkspaceTranslationRepository;
      models: LanguageModels;
      log: Logger;
    },
  ) {
    this.knowledge = new KnowledgeRepository(options.pool, knowledgeText);
  }

  forWorkspace(workspaceId: string): AiServices {
    let services = this.byWorkspace.get(workspaceId);
    if (!services) {
      const { llm, models, embeddings, log } = this.options;
      services = aiServices({
        language: loadLanguageDetector,
        intents: () => models.intents(workspaceId),
        emotion: () => models.emotion(),
        searchKnowledge: (text, language, limit) => this.knowledge.search(workspaceId, { text, language, ...(limit ? { limit } : {}) }),
        llm,
        translator: this.translator(workspaceId),
        ...(embeddings
          ? {
              searchByMeaning: meaningSearch(
                embeddings,
                (query) => this.knowledge.searchByEmbedding(workspaceId, query),
                (error) => log.warn({ err: error, workspaceId }, 'looking a question up by meaning failed; full-text search alone answers'),
              ),
            }
          : {}),
      });
      this.byWorkspace.set(workspaceId, services);
    }
    return services;
  }

  /** The workspace's own provider when it saved one, else the server's; translations go through its memory either way. */
  private translator(workspaceId: string) {
    const { pool, provider, glossary, translationSettings, log } = this.options;
    const memory = new TranslationMemoryStore(pool, workspaceId);
    const onMemoryError = (error: unknown, operation: 'get' | 'put') => log.warn({ err: error, workspaceId, operation }, 'translation memory failed; translating without it');
    const fallback = createTranslator({ provider, glossary, memory, onMemoryError });
    if (!translationSettings) return fallback;
    return workspaceTranslator({
      source: { revision: () => translationSettings.revision(workspaceId), load: () => translationSettings.get(workspaceId) },
      fallback,
      build: (own, terms) => createTranslator({ provider: own, glossary: terms, memory, onMemoryError }),
    });
  }
}
