import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDocument } from '@signalbox/nodes';
import { knowledgeText, REFUSAL_TOKEN } from '@signalbox/ai';
import { KnowledgeRepository } from '@signalbox/db';
import { startFakeOpenAi, type ChatRequest, type FakeServer } from '@signalbox/ai/testing';
import { waitFor } from '../src/testing/harness.ts';
import { startWebhookChat, type WebhookChat } from './setup.ts';

const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, data });

/** Detects the customer's language, lets the LLM answer from the knowledge base with its sources, else hands over. */
const flow: FlowDocument = {
  schemaVersion: 1,
  nodes: [
    node('start', 'start'),
    node('detect', 'detect-language', { minConfidence: 0.3 }),
    // A small knowledge base scores lower than the demo's (words of the question no article has weigh in).
    node('llm', 'llm-answer', { threshold: 0.25, appendSources: true, instructions: 'Trata al cliente de tú.' }),
    node('handoff', 'send-message', { text: 'Te paso con una persona.' }),
    node('failed', 'send-message', { text: 'error: {{lastError}}' }),
  ],
  edges: [
    ['start', 'next', 'detect'],
    ['detect', 'next', 'llm'],
    ['detect', 'unknown', 'llm'],
    ['llm', 'no_answer', 'handoff'],
    ['llm', 'error', 'failed'],
  ].map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source: source!, sourceHandle: sourceHandle!, target: target! })),
  variables: [],
};

/** A model that answers from the returns article when the prompt holds it (in Spanish, citing it), else refuses. */
function model(request: ChatRequest): string {
  const prompt = request.messages.map((m) => m.content).join('\n');
  const numbered = /\[(\d+)\] ¿Cómo devuelvo un artículo\?/.exec(prompt);
  return numbered ? `Puedes devolverlo gratis durante 30 días desde Mis pedidos [${numbered[1]}].` : REFUSAL_TOKEN;
}

describe('the LLM answer node in the runner', () => {
  let chat: WebhookChat;
  const t = () => chat.t;
  let llm: FakeServer;

  beforeAll(async () => {
    llm = await startFakeOpenAi({ apiKey: 'sk-llm', models: ['gpt-4o-mini'], reply: model });
    chat = await startWebhookChat({ env: { LLM_BASE_URL: llm.url, LLM_API_KEY: 'sk-llm', LLM_MODEL: 'gpt-4o-mini' } });
    const kb = new KnowledgeRepository(t().runner.pool, knowledgeText);
    const articles = [
      { kind: 'faq', title: '¿Cómo devuelvo un artículo?', body: 'Las devoluciones son gratuitas durante **30 días**: inícialas desde *Mis pedidos*.', language: 'es', status: 'published' },
      { kind: 'faq', title: '¿Cuánto tarda el envío?', body: 'Borrador sin publicar: de 3 a 5 días laborables.', language: 'es', status: 'draft' },
    ];
    for (const article of articles) expect((await kb.create(t().workspaceId, article)).ok).toBe(true);
    await chat.open(flow);
  });
  afterAll(async () => {
    await chat?.stop();
    await llm.close();
  });

  it('answers a Spanish question from the published article, citing it, with the article in the prompt it sent', async () => {
    await chat.say('es-1', '¿Cómo hago una devolución?');
    await waitFor(() => chat.repliesOf('es-1').length === 1, 20_000, 'the reply');
    expect(chat.repliesOf('es-1')).toEqual(['Puedes devolverlo gratis durante 30 días desde Mis pedidos [1].\n\n[1] ¿Cómo devuelvo un artículo?']);
    expect(llm.requests).toHaveLength(1);
    const body = llm.requests[0]?.body as { model: string; messages: { role: string; content: string }[] };
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.messages[0]?.content).toContain('Spanish (es)');
    expect(body.messages[0]?.content).toContain('Trata al cliente de tú.');
    expect(body.messages[1]?.content).toContain('[1] ¿Cómo devuelvo un artículo?\nLas devoluciones son gratuitas durante 30 días: inícialas desde Mis pedidos.');
    expect(body.messages[1]?.content).toContain('¿Cómo hago una devolución?');
  });

  it('hands over without asking the model when only a draft matches, and reports a provider failure on the error port', async () => {
    llm.reset();
    await chat.say('es-2', '¿Cuánto tarda el envío a Madrid?');
    await waitFor(() => chat.repliesOf('es-2').length === 1, 20_000, 'the reply');
    expect(chat.repliesOf('es-2')).toEqual(['Te paso con una persona.']);
    expect(llm.requests).toHaveLength(0);

    llm.fail({ type: 'auth' });
    await chat.say('es-3', '¿Cómo hago una devolución de un artículo?');
    await waitFor(() => chat.repliesOf('es-3').length === 1, 20_000, 'the reply');
    expect(chat.repliesOf('es-3')[0]).toMatch(/^error: LLM answer failed: auth: Incorrect API key provided/);
  });
});
