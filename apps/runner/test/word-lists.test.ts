import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDocument } from '@signalbox/nodes';
import { WordListRepository } from '@signalbox/db';
import { callbackServer, postWebhook, waitFor } from '../src/testing/harness.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, data });

describe('sensitive-word lists in the runner', () => {
  let t: TestRunner;
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  let channel: { id: string; secret: string };
  let n = 0;
  const say = (conversationId: string, text: string) =>
    postWebhook(t.baseUrl, channel.id, channel.secret, { id: `evt-${(n += 1)}`, conversationId, from: { id: `${conversationId}-user` }, text });
  const repliesOf = (conversationId: string) => cb.received.filter((r) => r.conversationId === conversationId).map((r) => r.text);

  beforeAll(async () => {
    cb = await callbackServer();
    t = await startTestRunner();
    const created = await new WordListRepository(t.runner.pool).create(t.workspaceId, { name: 'Insults', words: ['idiot*', 'moron'] });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const flow: FlowDocument = {
      schemaVersion: 1,
      nodes: [
        node('start', 'start'),
        node('words', 'sensitive-words', { lists: [created.list.id], saveMatchesAs: 'found', saveCensoredAs: 'censored' }),
        node('flagged', 'send-message', { text: 'flagged {{found}}: {{censored}}' }),
        node('fine', 'send-message', { text: 'fine' }),
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'words' },
        { id: 'e2', source: 'words', sourceHandle: 'found', target: 'flagged' },
        { id: 'e3', source: 'words', sourceHandle: 'next', target: 'fine' },
      ],
      variables: [],
    };
    channel = await t.addWebhookChannel(cb.url, flow);
  });
  afterAll(async () => {
    await t.stop();
    await cb.close();
  });

  it("routes by the workspace's list, catching disguised words, and keeps the censored text", async () => {
    await say('c1', 'you 1d10ts never answer');
    await say('c2', 'where is my parcel?');
    await waitFor(() => repliesOf('c1').length === 1 && repliesOf('c2').length === 1, 20_000, 'two replies');
    expect(repliesOf('c1')).toEqual(['flagged ["1d10ts"]: you ****** never answer']);
    expect(repliesOf('c2')).toEqual(['fine']);
  });
});
