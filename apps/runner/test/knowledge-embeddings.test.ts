import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDocument } from '@signalbox/nodes';
import { knowledgeText } from '@signalbox/ai';
import { KnowledgeRepository } from '@signalbox/db';
import { startFakeOpenAi, type FakeServer } from '@signalbox/ai/testing';
import { callbackServer, postWebhook, waitFor } from '../src/testing/harness.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, data });

const flow: FlowDocument = {
  schemaVersion: 1,
  nodes: [node('start', 'start'), node('kb', 'answer-from-knowledge', { threshold: 0.4 }), node('none', 'send-message', { text: 'no answer' })],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'kb' },
    { id: 'e2', source: 'kb', sourceHandle: 'no_answer', target: 'none' },
  ],
  variables: [],
};

/** An embedding model that knows money coming back is a refund: what full-text search cannot know. */
const topics = [/refund|money back|cash|reimburs/i, /deliver|ship|parcel/i];
const embed = (text: string): number[] => [...topics.map((topic) => (topic.test(text) ? 1 : 0)), 0.05];

describe('knowledge answers by meaning (embeddings) in the runner', () => {
  let t: TestRunner;
  let openai: FakeServer;
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  let channel: { id: string; secret: string };
  let n = 0;
  const say = (conversationId: string, text: string) =>
    postWebhook(t.baseUrl, channel.id, channel.secret, { id: `evt-${(n += 1)}`, conversationId, from: { id: `${conversationId}-user` }, text });
  const repliesOf = (conversationId: string) => cb.received.filter((r) => r.conversationId === conversationId).map((r) => r.text);

  beforeAll(async () => {
    openai = await startFakeOpenAi({ apiKey: null, embed });
    cb = await callbackServer();
    t = await startTestRunner({ env: { EMBEDDINGS_BASE_URL: openai.url, EMBEDDINGS_MODEL: 'text-embedding-3-small', EMBEDDINGS_MIN_SIMILARITY: '0.8' } });
    channel = await t.addWebhookChannel(cb.url, flow);
    // Only this test's articles: the demo knowledge base would tie with them.
    await t.runner.pool.query('DELETE FROM knowledge_article WHERE workspace_id = $1', [t.workspaceId]);
    const kb = new KnowledgeRepository(t.runner.pool, knowledgeText);
    await kb.create(t.workspaceId, { kind: 'faq', title: 'Refund policy', body: 'We pay refunds to the original card within 5 days.', language: 'en', status: 'published' });
    await kb.create(t.workspaceId, { kind: 'faq', title: 'Delivery times', body: 'Parcels arrive in 2 to 4 working days.', language: 'en', status: 'published' });
  });
  afterAll(async () => {
    await t.stop();
    await cb.close();
    await openai.close();
  });

  it('embeds the articles in the background, then answers a question no article shares a word with', async () => {
    // The embedder's first round started with the runner; run rounds until one finds nothing left.
    while (((await t.runner.embedder?.round()) ?? 0) > 0);
    const { rows } = await t.runner.pool.query<{ model: string; dims: number }>(
      'SELECT e.model, e.dims FROM knowledge_embedding e JOIN knowledge_article a ON a.id = e.article_id WHERE a.workspace_id = $1',
      [t.workspaceId],
    );
    expect(rows).toEqual([
      { model: 'text-embedding-3-small', dims: 3 },
      { model: 'text-embedding-3-small', dims: 3 },
    ]);
    await say('c2', 'Can I get my cash back?');
    await waitFor(() => repliesOf('c2').length === 1, 20_000, 'the second reply');
    expect(repliesOf('c2')[0]).toContain('We pay refunds to the original card within 5 days.');
    await say('c3', 'Do you sell gift cards?');
    await waitFor(() => repliesOf('c3').length === 1, 20_000, 'the third reply');
    expect(repliesOf('c3')).toEqual(['no answer']);
  });

  it('falls back to full-text search alone while the embeddings provider is down', async () => {
    openai.fail({ type: 'server_error' }, { type: 'server_error' }, { type: 'server_error' }, { type: 'server_error' });
    const before = openai.requests.length;
    await say('c4', 'Can I get my cash back?');
    await waitFor(() => repliesOf('c4').length === 1, 20_000, 'the reply');
    expect(repliesOf('c4')).toEqual(['no answer']);
    expect(openai.requests.length).toBeGreaterThan(before);
    await say('c5', 'What are your delivery times?');
    await waitFor(() => repliesOf('c5').length === 1, 20_000, 'the reply');
    expect(repliesOf('c5')[0]).toContain('Parcels arrive in 2 to 4 working days.');
  });
});
