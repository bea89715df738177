import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeText } from '@signalbox/ai';
import { KnowledgeRepository } from '@signalbox/db';
import { startFakeOpenAi, type FakeServer } from '@signalbox/ai/testing';
import { startWebhookChat, testFlow, type WebhookChat } from './setup.ts';

const flow = testFlow(
  [
    ['start', 'start'],
    ['kb', 'answer-from-knowledge', { threshold: 0.4 }],
    ['none', 'send-message', { text: 'no answer' }],
  ],
  [
    ['start', 'next', 'kb'],
    ['kb', 'no_answer', 'none'],
  ],
);

/** An embedding model that knows money coming back is a refund: what full-text search cannot know. */
const topics = [/refund|money back|cash|reimburs/i, /deliver|ship|parcel/i];
const embed = (text: string): number[] => [...topics.map((topic) => (topic.test(text) ? 1 : 0)), 0.05];

describe('knowledge answers by meaning (embeddings) in the runner', () => {
  let chat: WebhookChat;
  let openai: FakeServer;
  const t = () => chat.t;

  beforeAll(async () => {
    openai = await startFakeOpenAi({ apiKey: null, embed });
    chat = await startWebhookChat({ env: { EMBEDDINGS_BASE_URL: openai.url, EMBEDDINGS_MODEL: 'text-embedding-3-small', EMBEDDINGS_MIN_SIMILARITY: '0.8' } });
    await chat.open(flow);
    // Only this test's articles: the demo knowledge base would tie with them.
    await t().runner.pool.query('DELETE FROM knowledge_article WHERE workspace_id = $1', [t().workspaceId]);
    const kb = new KnowledgeRepository(t().runner.pool, knowledgeText);
    await kb.create(t().workspaceId, { kind: 'faq', title: 'Refund policy', body: 'We pay refunds to the original card within 5 days.', language: 'en', status: 'published' });
    await kb.create(t().workspaceId, { kind: 'faq', title: 'Delivery times', body: 'Parcels arrive in 2 to 4 working days.', language: 'en', status: 'published' });
  });
  afterAll(async () => {
    await chat?.stop();
    await openai?.close();
  });

  it('embeds the articles in the background, then answers a question no article shares a word with', async () => {
    // The embedder's first round started with the runner; run rounds until one finds nothing left.
    while (((await t().runner.embedder?.round()) ?? 0) > 0);
    const { rows } = await t().runner.pool.query<{ model: string; dims: number }>(
      'SELECT e.model, e.dims FROM knowledge_embedding e JOIN knowledge_article a ON a.id = e.article_id WHERE a.workspace_id = $1',
      [t().workspaceId],
    );
    expect(rows).toEqual([
      { model: 'text-embedding-3-small', dims: 3 },
      { model: 'text-embedding-3-small', dims: 3 },
    ]);
    await chat.say('c2', 'Can I get my cash back?');
    expect((await chat.replies('c2', 1))[0]).toContain('We pay refunds to the original card within 5 days.');
    await chat.say('c3', 'Do you sell gift cards?');
    expect(await chat.replies('c3', 1)).toEqual(['no answer']);
  });

  it('falls back to full-text search alone while the embeddings provider is down', async () => {
    openai.fail({ type: 'server_error' }, { type: 'server_error' }, { type: 'server_error' }, { type: 'server_error' });
    const before = openai.requests.length;
    await chat.say('c4', 'Can I get my cash back?');
    expect(await chat.replies('c4', 1)).toEqual(['no answer']);
    expect(openai.requests.length).toBeGreaterThan(before);
    await chat.say('c5', 'What are your delivery times?');
    expect((await chat.replies('c5', 1))[0]).toContain('Parcels arrive in 2 to 4 working days.');
  });
});
