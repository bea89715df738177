import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceTranslationRepository } from '@signalbox/db';
import { startFakeLibreTranslate, type FakeServer } from '@signalbox/ai/testing';
import { startWebhookChat, testFlow, type WebhookChat } from './setup.ts';

/** Answers in Spanish through whatever translates for the workspace; says why when nothing does. */
const flow = testFlow(
  [
    ['start', 'start'],
    ['outward', 'translate', { direction: 'to-customer', text: 'Your Signalbox order ships today', saveAs: 'answer' }],
    ['answer', 'send-message', { text: '{{answer}}' }],
    ['failed', 'send-message', { text: 'untranslated: {{lastError}}' }],
  ],
  [
    ['start', 'next', 'outward'],
    ['outward', 'next', 'answer'],
    ['outward', 'error', 'failed'],
  ],
);

describe("a workspace's own translation provider in the runner", () => {
  let chat: WebhookChat;
  let libre: FakeServer;

  beforeAll(async () => {
    libre = await startFakeLibreTranslate({ translate: (text) => text.toUpperCase() });
    chat = await startWebhookChat();
    await chat.open(flow);
  });
  afterAll(async () => {
    await chat?.stop();
    await libre?.close();
  });

  it('says no provider is set, then translates with the provider and glossary the workspace saved, within seconds', async () => {
    await chat.say('c1', 'hola', { locale: 'es-ES' });
    expect((await chat.replies('c1', 1))[0]).toContain('no translation provider is configured');

    const { pool, secrets } = chat.t.runner;
    await new WorkspaceTranslationRepository(pool, secrets).save(chat.t.workspaceId, { provider: 'libretranslate', baseUrl: libre.url }, ['Signalbox'], null);
    // The runner checks the saved settings at most every 5 s.
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    await pool.query(`UPDATE conversation SET language = 'es'`);
    await chat.say('c1', 'hola', { locale: 'es-ES' });
    expect((await chat.replies('c1', 2))[1]).toContain('YOUR Signalbox ORDER SHIPS TODAY');
    expect(libre.requests.length).toBe(1);
  });
});
