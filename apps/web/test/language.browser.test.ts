import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { knowledgeText } from '@signalbox/ai';
import { createPool, FlowRepository, KnowledgeRepository } from '@signalbox/db';
import type { FlowDocument } from '@signalbox/nodes';
import { startWebApp, type WebApp } from './harness.ts';

const WAIT = { timeout: 30_000 };
const node = (id: string, type: string, y: number, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y }, data });

/**
 * A support flow on the language nodes: the language is detected, the knowledge base answers in the customer's
 * language, else the intent routes, and an angry customer goes to a person. Previewed in the editor, so the web
 * app's build must carry the language models (eld's n-grams, the shipped emotion model) and reach the database.
 */
const flow: FlowDocument = {
  schemaVersion: 1,
  nodes: [
    node('start', 'start', 0),
    node('detect', 'detect-language', 100, { minConfidence: 0.3 }),
    node('feel', 'emotion', 200, { saveAs: 'mood' }),
    node('kb', 'answer-from-knowledge', 300, { threshold: 0.25 }),
    node('intent', 'classify-intent', 400, { intents: ['order_status', 'returns_refunds'] }),
    node('status', 'send-message', 500, { text: 'Your order is on its way ({{conversation.language}})' }),
    node('refund', 'send-message', 500, { text: 'Refund route' }),
    node('unsure', 'send-message', 500, { text: 'Could you say that differently?' }),
    node('angry', 'send-message', 500, { text: 'I am so sorry: a person will take over ({{mood}})' }),
  ],
  edges: [
    ['start', 'next', 'detect'],
    ['detect', 'next', 'feel'],
    ['detect', 'unknown', 'feel'],
    ['feel', 'anger', 'angry'],
    ['feel', 'other', 'kb'],
    ['kb', 'no_answer', 'intent'],
    ['intent', 'order_status', 'status'],
    ['intent', 'returns_refunds', 'refund'],
    ['intent', 'not_sure', 'unsure'],
  ].map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source: source!, sourceHandle: sourceHandle!, target: target! })),
  variables: [],
};

describe('language nodes in the editor preview', () => {
  let app: WebApp;
  let flowId = '';

  beforeAll(async () => {
    app = await startWebApp();
    flowId = await new FlowRepository(app.prisma).create({ workspaceId: app.workspaceId, name: 'Support in every language', document: flow });
    const pool = createPool(app.databaseUrl, 1);
    const kb = new KnowledgeRepository(pool, knowledgeText);
    await kb.create(app.workspaceId, { kind: 'faq', title: '¿Cómo devuelvo un artículo?', body: 'Las devoluciones son gratuitas durante **30 días**.', language: 'es', status: 'published' });
    await kb.create(app.workspaceId, { kind: 'faq', title: 'How do I return an item?', body: 'Returns are free within 30 days.', language: 'en', status: 'published' });
    await pool.end();
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
  });

  test('answers a Spanish question in Spanish from the knowledge base, routes by intent, and hands an angry customer over', async () => {
    const page = await app.signedIn('editor', `/flows/${flowId}`);
    onTestFailed(() => app.screenshot(page, 'failed-language-preview'));
    await page.getByRole('tab', { name: 'Preview' }).click();
    const conversation = page.getByLabel('Preview conversation');
    const say = async (text: string) => {
      await page.getByLabel('Message as the customer').fill(text);
      await page.getByRole('button', { name: 'Send', exact: true }).click();
    };
    const botLines = () => conversation.locator('[data-from="bot"]').allTextContents();

    await say('¿Cómo hago una devolución?');
    await expect.poll(botLines, WAIT).toEqual(['Las devoluciones son gratuitas durante 30 días.']);
    await app.screenshot(page, 'language-01-spanish-answer');
    await say('Where is my parcel? I ordered it last week');
    await expect.poll(botLines, WAIT).toEqual(['Las devoluciones son gratuitas durante 30 días.', 'Your order is on its way (en)']);
    await say('You idiots lost my package again!');
    await expect.poll(async () => (await botLines()).at(-1), WAIT).toBe('I am so sorry: a person will take over (anger)');
    expect(app.log()).not.toMatch(/Error:/);
  });
});
