import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDocument } from '@signalbox/nodes';
import { knowledgeText } from '@signalbox/ai';
import { KnowledgeRepository } from '@signalbox/db';
import { startFakeLibreTranslate, type FakeServer } from '@signalbox/ai/testing';
import { callbackServer, postWebhook, waitFor } from '../src/testing/harness.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, data });

/**
 * Detects the customer's language, translates the message for the team, answers in the customer's language,
 * and says so when translation fails.
 */
const flow: FlowDocument = {
  schemaVersion: 1,
  nodes: [
    node('start', 'start'),
    node('detect', 'detect-language', { minConfidence: 0.3 }),
    node('inward', 'translate', { direction: 'to-working', saveAs: 'english' }),
    node('note', 'send-message', { text: 'team sees: {{english}} [{{conversation.language}}]' }),
    node('outward', 'translate', { direction: 'to-customer', text: 'We are on it', saveAs: 'answer' }),
    node('answer', 'send-message', { text: '{{answer}}' }),
    node('unknown', 'send-message', { text: 'Which language do you speak?' }),
    node('failed', 'send-message', { text: 'untranslated: {{lastError}}' }),
  ],
  edges: [
    ['start', 'next', 'detect'],
    ['detect', 'next', 'inward'],
    ['detect', 'unknown', 'unknown'],
    ['inward', 'next', 'note'],
    ['note', 'next', 'outward'],
    ['outward', 'next', 'answer'],
    ['inward', 'error', 'failed'],
    ['outward', 'error', 'failed'],
  ].map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source: source!, sourceHandle: sourceHandle!, target: target! })),
  variables: [],
};

describe('language nodes in the runner', () => {
  let t: TestRunner;
  let libre: FakeServer;
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  let channel: { id: string; secret: string };
  let n = 0;
  const say = (conversationId: string, text: string) =>
    postWebhook(t.baseUrl, channel.id, channel.secret, { id: `evt-${(n += 1)}`, conversationId, from: { id: `${conversationId}-user` }, text });
  const repliesOf = (conversationId: string) => cb.received.filter((r) => r.conversationId === conversationId).map((r) => r.text);

  beforeAll(async () => {
    // The fake answers `[target] ` and the text as its engine translates it (here: unchanged).
    libre = await startFakeLibreTranslate({ translate: (text) => text });
    cb = await callbackServer();
    t = await startTestRunner({ env: { TRANSLATION_PROVIDER: 'libretranslate', TRANSLATION_BASE_URL: libre.url } });
    channel = await t.addWebhookChannel(cb.url, flow);
  });
  afterAll(async () => {
    await t.stop();
    await cb.close();
    await libre.close();
  });

  it("stores the detected language on the conversation, translates both ways, and never pays twice for one sentence", async () => {
    expect((await say('es-1', '¿Dónde está mi pedido? Lo compré la semana pasada')).status).toBe(202);
    await waitFor(() => repliesOf('es-1').length === 2, 20_000, 'two replies');
    expect(repliesOf('es-1')).toEqual(['team sees: [en] ¿Dónde está mi pedido? Lo compré la semana pasada [es]', '[es] We are on it']);
    const { rows } = await t.runner.pool.query<{ language: string }>(`SELECT language FROM conversation WHERE external_id = 'es-1'`);
    expect(rows).toEqual([{ language: 'es' }]);
    const requests = libre.requests.length;
    // A second Spanish conversation asks for the same answer: it comes from the translation memory.
    await say('es-2', 'Quiero devolver unos zapatos que me quedan pequeños');
    await waitFor(() => repliesOf('es-2').length === 2, 20_000, 'two replies');
    expect(repliesOf('es-2')[1]).toBe('[es] We are on it');
    expect(libre.requests.length).toBe(requests + 1);
    const memory = await t.runner.pool.query<{ target: string; hits: number }>(`SELECT target, hits FROM translation_memory WHERE workspace_id = $1 ORDER BY target`, [t.workspaceId]);
    expect(memory.rows).toEqual([
      { target: 'en', hits: 0 },
      { target: 'en', hits: 0 },
      { target: 'es', hits: 1 },
    ]);
  });

  it('takes the error port with the reason when the provider fails, and "unknown" for a message without words', async () => {
    libre.fail({ type: 'auth' });
    await say('de-1', 'Wo ist mein Paket? Ich warte seit zwei Wochen darauf');
    await waitFor(() => repliesOf('de-1').length === 1, 20_000, 'the reply');
    expect(repliesOf('de-1')[0]).toMatch(/^untranslated: translation failed: auth: /);
    await say('emoji-1', '👍👍');
    await waitFor(() => repliesOf('emoji-1').length === 1, 20_000, 'the reply');
    expect(repliesOf('emoji-1')).toEqual(['Which language do you speak?']);
  });

  it("answers a Spanish question from the knowledge base in Spanish, and hands over what it cannot answer", async () => {
    const kb = new KnowledgeRepository(t.runner.pool, knowledgeText);
    const articles = [
      { kind: 'faq', title: 'How do I return an item?', body: 'Returns are free within **30 days**: start one from *My orders*.', language: 'en', status: 'published' },
      { kind: 'faq', title: '¿Cómo devuelvo un artículo?', body: 'Las devoluciones son gratuitas durante **30 días**: inícialas desde *Mis pedidos*.', language: 'es', status: 'published' },
      { kind: 'faq', title: '¿Cuánto tarda el envío?', body: 'Borrador sin publicar: de 3 a 5 días laborables.', language: 'es', status: 'draft' },
    ];
    for (const article of articles) expect((await kb.create(t.workspaceId, article)).ok).toBe(true);
    const answering: FlowDocument = {
      schemaVersion: 1,
      nodes: [
        node('start', 'start'),
        node('detect', 'detect-language', { minConfidence: 0.3 }),
        // A small knowledge base scores lower than the demo's (words of the question no article has weigh in).
        node('kb', 'answer-from-knowledge', { threshold: 0.25 }),
        node('handoff', 'send-message', { text: 'Te paso con una persona.' }),
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'detect' },
        { id: 'e2', source: 'detect', sourceHandle: 'next', target: 'kb' },
        { id: 'e3', source: 'detect', sourceHandle: 'unknown', target: 'kb' },
        { id: 'e4', source: 'kb', sourceHandle: 'no_answer', target: 'handoff' },
      ],
      variables: [],
    };
    const kbChannel = await t.addWebhookChannel(cb.url, answering);
    const ask = (conversationId: string, text: string) =>
      postWebhook(t.baseUrl, kbChannel.id, kbChannel.secret, { id: `kb-${(n += 1)}`, conversationId, from: { id: `${conversationId}-user` }, text });
    await ask('kb-es', '¿Cómo hago una devolución?');
    await ask('kb-ship', '¿Cuánto tarda el envío a Madrid?');
    await waitFor(() => repliesOf('kb-es').length === 1 && repliesOf('kb-ship').length === 1, 20_000, 'both replies');
    expect(repliesOf('kb-es')).toEqual(['Las devoluciones son gratuitas durante 30 días: inícialas desde Mis pedidos.']);
    // The only article about shipping is a draft: customers never see drafts.
    expect(repliesOf('kb-ship')).toEqual(['Te paso con una persona.']);
  });
});
