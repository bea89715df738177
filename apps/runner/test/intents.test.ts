import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDocument } from '@signalbox/nodes';
import { defaultIntentSeed, IntentTrainer } from '@signalbox/ai';
import { createWorkspace, IntentRepository } from '@signalbox/db';
import { waitFor } from '../src/testing/harness.ts';
import { languageModels } from '../src/language/models.ts';
import { startWebhookChat, type WebhookChat } from './setup.ts';

const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, data });

const flow: FlowDocument = {
  schemaVersion: 1,
  nodes: [
    node('start', 'start'),
    node('classify', 'classify-intent', { intents: ['size_exchange', 'order_status'] }),
    node('exchange', 'send-message', { text: 'exchange: {{intent}}' }),
    node('status', 'send-message', { text: 'status: {{intent}}' }),
    node('unsure', 'send-message', { text: 'not sure' }),
  ],
  edges: [
    ['start', 'next', 'classify'],
    ['classify', 'size_exchange', 'exchange'],
    ['classify', 'order_status', 'status'],
    ['classify', 'not_sure', 'unsure'],
  ].map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source: source!, sourceHandle: sourceHandle!, target: target! })),
  variables: [],
};

const SIZE_EXCHANGE = [
  'Quiero cambiar la talla de las zapatillas',
  'Me quedan pequeñas, ¿puedo cambiarlas por una talla más?',
  'Necesito cambiar el pantalón por una talla más grande',
  '¿Cómo cambio una camiseta por otra talla?',
  'La talla M me queda grande, quiero la S',
  'Quisiera un cambio de talla, por favor',
].map((text) => ({ text, language: 'es' }));

describe("a workspace's own intents in the runner", () => {
  let chat: WebhookChat;
  const t = () => chat.t;
  let intents: IntentRepository;

  beforeAll(async () => {
    chat = await startWebhookChat();
    await chat.open(flow);
    intents = new IntentRepository(t().runner.pool);
  });
  afterAll(async () => {
    await chat?.stop();
  });

  it('routes a Spanish question to the intent the workspace added, with the model trained and stored as the web app does', async () => {
    // Before the workspace has intents of its own, the shipped ones answer: size_exchange is not among them.
    await chat.say('before', 'Quiero cambiar la talla de mis zapatillas, me quedan pequeñas');
    await waitFor(() => chat.repliesOf('before').length === 1, 20_000, 'a reply');
    expect(chat.repliesOf('before')).not.toEqual(['exchange: size_exchange']);

    await intents.ensureSeeded(t().workspaceId, defaultIntentSeed());
    const created = await intents.create(t().workspaceId, { name: 'size_exchange', title: 'Size exchange' }, SIZE_EXCHANGE);
    expect(created.ok).toBe(true);
    expect(await new IntentTrainer(intents).trainOnce(t().workspaceId)).toBe('ready');
    // The runner re-reads a workspace's revision every few seconds.
    await new Promise((resolve) => setTimeout(resolve, 3100));

    await chat.say('after', 'Hola, quiero cambiar la talla de mis zapatillas, me quedan pequeñas');
    await chat.say('status', '¿Dónde está mi pedido? Todavía no ha llegado');
    await waitFor(() => chat.repliesOf('after').length === 1 && chat.repliesOf('status').length === 1, 20_000, 'two replies');
    expect(chat.repliesOf('after')).toEqual(['exchange: size_exchange']);
    expect(chat.repliesOf('status')).toEqual(['status: order_status']);
  });

  it('trains from the stored phrases when the stored model is stale or unreadable', async () => {
    const other = await createWorkspace(t().runner.prisma, 'Other shop');
    await intents.ensureSeeded(other, defaultIntentSeed());
    await intents.create(other, { name: 'size_exchange' }, SIZE_EXCHANGE);
    await new IntentTrainer(intents).trainOnce(other);
    // Written by a classifier this version does not understand.
    const state = await intents.modelState(other);
    await t().runner.pool.query(`UPDATE intent_model SET model = '{"format":"from the future"}'::jsonb WHERE workspace_id = $1`, [other]);
    expect(state?.trainedRevision).toBe(state?.revision);

    const source = await languageModels(t().runner.pool).intents(other);
    expect((await source.classify('Quiero cambiar la talla de mi camiseta', {})).intent).toBe('size_exchange');
  });
});
