import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDocument } from '@signalbox/nodes';
import { TemplateRepository } from '@signalbox/db';
import { callbackServer, postWebhook, waitFor } from '../src/testing/harness.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, data });
const TEMPLATE_ID = '5f0c1c1e-6a55-4d59-9a3c-2f7c1f0e9a01';

/** Detects the customer's language, then answers with a stored template's variant in it. */
const flow: FlowDocument = {
  schemaVersion: 1,
  nodes: [node('start', 'start'), node('detect', 'detect-language', { minConfidence: 0.3 }), node('reply', 'send-message', { template: TEMPLATE_ID })],
  edges: [
    ['start', 'next', 'detect'],
    ['detect', 'next', 'reply'],
    ['detect', 'unknown', 'reply'],
  ].map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source: source!, sourceHandle: sourceHandle!, target: target! })),
  variables: [],
};

describe('message templates in the runner', () => {
  let t: TestRunner;
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  let channel: { id: string; secret: string };
  let n = 0;
  const say = (conversationId: string, text: string) =>
    postWebhook(t.baseUrl, channel.id, channel.secret, { id: `evt-${(n += 1)}`, conversationId, from: { id: `${conversationId}-user`, name: 'Lucía' }, text });
  const repliesOf = (conversationId: string) => cb.received.filter((r) => r.conversationId === conversationId).map((r) => r.text);

  beforeAll(async () => {
    cb = await callbackServer();
    t = await startTestRunner();
    const created = await new TemplateRepository(t.runner.pool).create(
      t.workspaceId,
      {
        name: 'welcome',
        defaultLanguage: 'en',
        variants: [
          { language: 'en', text: 'Welcome {{contact.name}}! How can we help?' },
          { language: 'es', text: '¡Bienvenida {{contact.name}}! ¿En qué podemos ayudarte?' },
        ],
      },
      { id: TEMPLATE_ID },
    );
    if (!created.ok) throw new Error(JSON.stringify(created));
    channel = await t.addWebhookChannel(cb.url, flow);
  });
  afterAll(async () => {
    await t.stop();
    await cb.close();
  });

  it("answers with the variant in the customer's language, and the default variant otherwise", async () => {
    await say('es-1', 'Hola, quería preguntar por el envío de mi pedido');
    await say('de-1', 'Hallo, ich habe eine Frage zu meiner Bestellung');
    await waitFor(() => repliesOf('es-1').length === 1 && repliesOf('de-1').length === 1, 20_000, 'two replies');
    expect(repliesOf('es-1')).toEqual(['¡Bienvenida Lucía! ¿En qué podemos ayudarte?']);
    expect(repliesOf('de-1')).toEqual(['Welcome Lucía! How can we help?']);
  });

  it('records the failure on the conversation when the template was deleted, sending nothing', async () => {
    await new TemplateRepository(t.runner.pool).delete(t.workspaceId, TEMPLATE_ID);
    // The runner reads a template at most every few seconds: wait out the cache.
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    await say('es-2', 'Hola otra vez');
    const failure = async () => {
      const { rows } = await t.runner.pool.query<{ failed: string | null }>(
        `SELECT t.failed FROM execution_trace t JOIN conversation c ON c.id = t.conversation_id WHERE c.external_id = 'es-2'`,
      );
      return rows[0]?.failed ?? null;
    };
    await waitFor(async () => (await failure()) !== null, 20_000, 'the failed run');
    expect(await failure()).toBe('the template this node sends was deleted: pick another one');
    expect(repliesOf('es-2')).toEqual([]);
  });
});
