import type { Logger } from 'pino';
import type { EmbeddingClient } from '@signalbox/ai';
import type { KnowledgeArticle, KnowledgeRepository } from '@signalbox/db';

/** What is embedded of an article: its question or title, tags and text, cut where embedding models stop reading. */
export function embeddingText(article: Pick<KnowledgeArticle, 'title' | 'tags' | 'body'>): string {
  return [article.title, article.tags.join(', '), article.body].filter((part) => part !== '').join('\n').slice(0, 8_000);
}

/**
 * Embeds knowledge-base articles that have no embedding from the configured model yet (new ones, and changed ones,
 * whose embeddings the repository drops with the old text), a batch at a time, in the background. A provider failure
 * is logged and tried again on the next round; search meanwhile is full-text only for those articles.
 */
export class KnowledgeEmbedder {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly knowledge: KnowledgeRepository,
    private readonly client: EmbeddingClient,
    private readonly log: Logger,
    private readonly batch = 32,
  ) {}

  /** One round over every workspace with work; returns how many articles were embedded. */
  round(): Promise<number> {
    this.running ??= this.embedAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  start(everyMs = 30_000): void {
    const tick = () => {
      this.round()
        .catch((error: unknown) => this.log.warn({ err: error, model: this.client.model }, 'embedding knowledge articles failed; trying again later'))
        .finally(() => {
          if (this.timer !== null) this.timer = setTimeout(tick, everyMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async embedAll(): Promise<number> {
    let embedded = 0;
    for (const workspaceId of await this.knowledge.workspacesMissingEmbeddings(this.client.model)) {
      for (;;) {
        const articles = await this.knowledge.articlesWithoutEmbedding(workspaceId, this.client.model, this.batch);
        if (articles.length === 0) break;
        const vectors = await this.client.embed(articles.map(embeddingText));
        for (const [i, article] of articles.entries()) {
          const stored = await this.knowledge.putEmbedding(workspaceId, article.id, { model: this.client.model, vector: vectors[i] ?? [] });
          if (!stored.ok) throw new Error(`the provider's embedding for article ${article.id} is not storable: ${stored.problems.map((p) => p.message).join('; ')}`);
        }
        embedded += articles.length;
        if (articles.length < this.batch) break;
      }
    }
    if (embedded > 0) this.log.info({ embedded, model: this.client.model }, 'embedded knowledge articles');
    return embedded;
  }
}
