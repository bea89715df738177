import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TemplateRepository } from '@signalbox/db';
import { waitFor } from '../src/testing/harness.ts';
import { startWebhookChat, testFlow, type WebhookChat } from './setup.ts';

const TEMPLATE_ID = '5f0c1c1e-6a55-4d59-9a3c-2f7c1f0e9a01';

/** Detects the customer's language, then answers with a stored template's variant in it. */
const flow = testFlow(
  [
    ['start', 'start'],
    ['detect', 'detect-language', { minConfidence: 0.3 }],
    ['reply', 'send-message', { template: TEMPLATE_ID }],
  ],
  [
    ['start', 'next', 'detect'],
    ['detect', 'next', 'reply'],
    ['detect', 'unknown', 'reply'],
  ],
);

describe('message templates in the runner', () => {
  let chat: WebhookChat;
  const from = { name: 'Lucía' };

  beforeAll(async () => {
    chat = await startWebhookChat();
    const created = await new TemplateRepository(chat.t.runner.pool).create(
      chat.t.workspaceId,
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
    await chat.open(flow);
  });
  afterAll(async () => {
    await chat?.stop();
  });

  it("answers with the variant in the customer's language, and the default variant otherwise", async () => {
    await chat.say('es-1', 'Hola, quería preguntar por el envío de mi pedido', from);
    await chat.say('de-1', 'Hallo, ich habe eine Frage zu meiner Bestellung', from);
    expect(await chat.replies('es-1', 1)).toEqual(['¡Bienvenida Lucía! ¿En qué podemos ayudarte?']);
    expect(await chat.replies('de-1', 1)).toEqual(['Welcome Lucía! How can we help?']);
  });

  it('records the failure on the conversation when the template was deleted, sending nothing', async () => {
    await new TemplateRepository(chat.t.runner.pool).delete(chat.t.workspaceId, TEMPLATE_ID);
    // The runner reads a template at most every few seconds: wait out the cache.
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    await chat.say('es-2', 'Hola otra vez', from);
    const failure = async () => {
      const { rows } = await chat.t.runner.pool.query<{ failed: string | null }>(
        `SELECT t.failed FROM execution_trace t JOIN conversation c ON c.id = t.conversation_id WHERE c.external_id = 'es-2'`,
      );
      return rows[0]?.failed ?? null;
    };
    await waitFor(async () => (await failure()) !== null, 20_000, 'the failed run');
    expect(await failure()).toBe('the template this node sends was deleted: pick another one');
    expect(chat.repliesOf('es-2')).toEqual([]);
  });
});
