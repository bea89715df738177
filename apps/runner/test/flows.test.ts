import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDocument } from '@signalbox/nodes';
import { FlowRepository } from '@signalbox/db';
import { callbackServer, postWebhook, waitFor } from '../src/testing/harness.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

const doc = (nodes: FlowDocument['nodes'], edges: [string, string, string][], variables: string[] = []): FlowDocument => ({
  schemaVersion: 1,
  nodes,
  edges: edges.map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source, sourceHandle, target })),
  variables: variables.map((name) => ({ name })),
});
const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, data });

describe('flows running in the runner', () => {
  let t: TestRunner;
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  let n = 0;
  const say = (channel: { id: string; secret: string }, conversationId: string, text: string) =>
    postWebhook(t.baseUrl, channel.id, channel.secret, { id: `evt-${(n += 1)}`, conversationId, from: { id: `${conversationId}-user`, name: 'Ana' }, text });
  const repliesOf = (conversationId: string) => cb.received.filter((r) => r.conversationId === conversationId).map((r) => r.text);

  beforeAll(async () => {
    t = await startTestRunner();
    cb = await callbackServer();
  });
  afterAll(async () => {
    await t.stop();
    await cb.close();
  });

  it('fires a question’s timeout through the timer table and takes the timeout branch', async () => {
    const channel = await t.addWebhookChannel(
      cb.url,
      doc(
        [
          node('start', 'start'),
          node('ask', 'ask-question', { question: 'Your email?', validation: 'email', saveAs: 'email', timeoutSeconds: 1 }),
          node('late', 'send-message', { text: 'Still there?' }),
          node('thanks', 'send-message', { text: 'Thanks {{email}}' }),
        ],
        [
          ['start', 'next', 'ask'],
          ['ask', 'timeout', 'late'],
          ['ask', 'answered', 'thanks'],
        ],
      ),
    );
    await say(channel, 'timer-1', 'hi');
    await waitFor(() => repliesOf('timer-1').includes('Still there?'), 10_000, 'the timeout reply');
    expect(repliesOf('timer-1')).toEqual(['Your email?', 'Still there?']);

    // Answered in time: the timer is cancelled and never fires.
    await say(channel, 'timer-2', 'hi');
    await waitFor(() => repliesOf('timer-2').length === 1, 10_000, 'the question');
    await say(channel, 'timer-2', 'ana@example.com');
    await waitFor(() => repliesOf('timer-2').length === 2, 10_000, 'the answer');
    await new Promise((r) => setTimeout(r, 1800));
    expect(repliesOf('timer-2')).toEqual(['Your email?', 'Thanks ana@example.com']);
    const timers = await t.runner.pool.query<{ status: string }>(
      `SELECT t.status FROM timer t JOIN conversation c ON c.id = t.conversation_id WHERE c.external_id = 'timer-2'`,
    );
    expect(timers.rows.map((r) => r.status)).toEqual(['cancelled']);
  });

  it('stops answering after a hand-off and records the team', async () => {
    const channel = await t.addWebhookChannel(cb.url, 'demo');
    await say(channel, 'human-1', 'hello');
    await waitFor(() => repliesOf('human-1').length === 2, 10_000, 'greeting and question');
    await say(channel, 'human-1', 'Something else');
    await waitFor(() => repliesOf('human-1').length === 3, 10_000, 'the hand-off message');
    await say(channel, 'human-1', 'are you there?');
    await new Promise((r) => setTimeout(r, 800));
    expect(repliesOf('human-1').at(-1)).toContain('passing you to a member of our team');
    expect(repliesOf('human-1')).toHaveLength(3);
    const { rows } = await t.runner.pool.query<{ owner: string; assigned_team: string; messages: number }>(
      `SELECT c.owner, c.assigned_team, (SELECT count(*) FROM message m WHERE m.conversation_id = c.id AND m.direction = 'in')::int AS messages
       FROM conversation c WHERE c.external_id = 'human-1'`,
    );
    expect(rows[0]).toEqual({ owner: 'human', assigned_team: 'support', messages: 3 });
  });

  it('stores contact attributes and tags, and a closed conversation starts afresh', async () => {
    const channel = await t.addWebhookChannel(
      cb.url,
      doc(
        [
          node('start', 'start'),
          node('set', 'set', {
            assignments: [
              { target: 'contact-attribute', name: 'tier', value: 'gold' },
              { target: 'tag', name: 'vip', action: 'add' },
              { target: 'variable', name: 'count', value: '1' },
            ],
          }),
          node('say', 'send-message', { text: 'tier {{contact.tier}}' }),
          node('close', 'close'),
        ],
        [
          ['start', 'next', 'set'],
          ['set', 'next', 'say'],
          ['say', 'next', 'close'],
        ],
      ),
    );
    await say(channel, 'attrs-1', 'hi');
    await waitFor(() => repliesOf('attrs-1').length === 1, 10_000, 'the reply');
    expect(repliesOf('attrs-1')).toEqual(['tier gold']);
    const first = await t.runner.pool.query<{ status: string; tags: string[]; attributes: Record<string, unknown> }>(
      `SELECT c.status, c.tags, ct.attributes FROM conversation c JOIN contact ct ON ct.id = c.contact_id WHERE c.external_id = 'attrs-1'`,
    );
    expect(first.rows[0]).toEqual({ status: 'closed', tags: ['vip'], attributes: { tier: 'gold' } });
    await say(channel, 'attrs-1', 'again');
    await waitFor(() => repliesOf('attrs-1').length === 2, 10_000, 'the second run');
  });

  it('keeps a conversation on the version it started on after a new version is published', async () => {
    const v1 = doc(
      [node('start', 'start'), node('ask', 'ask-question', { question: 'v1 question', saveAs: 'a' }), node('done', 'send-message', { text: 'v1 done' })],
      [
        ['start', 'next', 'ask'],
        ['ask', 'answered', 'done'],
      ],
    );
    const channel = await t.addWebhookChannel(cb.url, v1);
    await say(channel, 'pin-1', 'hi');
    await waitFor(() => repliesOf('pin-1').length === 1, 10_000, 'v1 question');
    const flows = new FlowRepository(t.runner.prisma);
    const v2 = { ...v1, nodes: v1.nodes.map((n) => (n.id === 'done' ? { ...n, data: { text: 'v2 done' } } : n.id === 'ask' ? { ...n, data: { question: 'v2 question', saveAs: 'a' } } : n)) };
    await t.runner.prisma.flowDraft.update({ where: { flowId: channel.flowId }, data: { document: v2 as object } });
    await flows.publish(channel.flowId);
    await say(channel, 'pin-1', 'answer');
    await say(channel, 'pin-2', 'hi');
    await waitFor(() => repliesOf('pin-1').length === 2 && repliesOf('pin-2').length === 1, 10_000, 'replies');
    expect(repliesOf('pin-1')).toEqual(['v1 question', 'v1 done']);
    expect(repliesOf('pin-2')).toEqual(['v2 question']);
  });

  it('records events it cannot or need not run, and goes on with the conversation', async () => {
    const channel = await t.addWebhookChannel(cb.url);
    await say(channel, 'skip-1', 'first');
    await waitFor(() => repliesOf('skip-1').length === 1, 10_000, 'the first echo');
    const key = `${channel.id}:skip-1`;
    const stored = await t.runner.pool.query<{ payload: Record<string, unknown> }>('SELECT payload FROM inbound_event WHERE conversation_key = $1', [key]);
    const first = stored.rows[0]?.payload ?? {};
    // Stored behind the queue's back: one that no longer matches the schema, and an echo of the bot's own message.
    await t.runner.pool.query(
      `INSERT INTO inbound_event (channel_id, external_id, conversation_key, kind, payload)
       VALUES ($1, 'broken', $2, 'message', '{"kind":"message"}'), ($1, 'echo', $2, 'message', $3)`,
      [channel.id, key, JSON.stringify({ ...first, id: 'echo', echo: true })],
    );
    await say(channel, 'skip-1', 'second');
    await waitFor(() => repliesOf('skip-1').length === 2, 10_000, 'the second echo');
    expect(repliesOf('skip-1')).toEqual(['echo: first', 'echo: second']);
    const skipped = await t.runner.pool.query<{ external_id: string; processed: boolean; error: string | null }>(
      `SELECT external_id, processed_at IS NOT NULL AS processed, error FROM inbound_event WHERE external_id IN ('broken', 'echo') ORDER BY id`,
    );
    expect(skipped.rows.map((r) => [r.external_id, r.processed, r.error?.startsWith('stored event does not match the schema') ?? null])).toEqual([
      ['broken', true, true],
      ['echo', true, null],
    ]);
  });
});
