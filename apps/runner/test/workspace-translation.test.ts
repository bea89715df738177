import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDocument } from '@signalbox/nodes';
import { WorkspaceTranslationRepository } from '@signalbox/db';
import { startFakeLibreTranslate, type FakeServer } from '@signalbox/ai/testing';
import { callbackServer, postWebhook, waitFor } from '../src/testing/harness.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, data });

/** Answers in Spanish through whatever translates for the workspace; says why when nothing does. */
const flow: FlowDocument = {
  schemaVersion: 1,
  nodes: [
    node('start', 'start'),
    node('outward', 'translate', { direction: 'to-customer', text: 'Your Signalbox order ships today', saveAs: 'answer' }),
    node('answer', 'send-message', { text: '{{answer}}' }),
    node('failed', 'send-message', { text: 'untranslated: {{lastError}}' }),
  ],
  edges: [
    ['start', 'next', 'outward'],
    ['outward', 'next', 'answer'],
    ['outward', 'error', 'failed'],
  ].map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source: source!, sourceHandle: sourceHandle!, target: target! })),
  variables: [],
};

describe("a workspace's own translation provider in the runner", () => {
  let t: TestRunner;
  let libre: FakeServer;
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  let channel: { id: string; secret: string };
  let n = 0;
  const say = (conversationId: string) =>
    postWebhook(t.baseUrl, channel.id, channel.secret, { id: `evt-${(n += 1)}`, conversationId, from: { id: `${conversationId}-user`, locale: 'es-ES' }, text: 'hola' });
  const repliesOf = (conversationId: string) => cb.received.filter((r) => r.conversationId === conversationId).map((r) => r.text);

  beforeAll(async () => {
    libre = await startFakeLibreTranslate({ translate: (text) => text.toUpperCase() });
    cb = await callbackServer();
    t = await startTestRunner();
    channel = await t.addWebhookChannel(cb.url, flow);
    await t.runner.pool.query(`UPDATE conversation SET language = 'es'`);
  });
  afterAll(async () => {
    await t.stop();
    await cb.close();
    await libre.close();
  });

  it('says no provider is set, then translates with the provider and glossary the workspace saved, within seconds', async () => {
    await say('c1');
    await waitFor(() => repliesOf('c1').length === 1, 20_000, 'the first reply');
    expect(repliesOf('c1')[0]).toContain('no translation provider is configured');

    await new WorkspaceTranslationRepository(t.runner.pool, t.runner.secrets).save(t.workspaceId, { provider: 'libretranslate', baseUrl: libre.url }, ['Signalbox'], null);
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    await t.runner.pool.query(`UPDATE conversation SET language = 'es'`);
    await say('c1');
    await waitFor(() => repliesOf('c1').length === 2, 20_000, 'the second reply');
    expect(repliesOf('c1')[1]).toContain('YOUR Signalbox ORDER SHIPS TODAY');
    expect(libre.requests.length).toBe(1);
  });
});
