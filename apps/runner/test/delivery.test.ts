import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackServer, waitFor } from '../src/testing/harness.ts';
import { startTestRunner, type TestRunner } from './setup.ts';
import { checkReplies, sendLoad, type LoadPlan } from './load.ts';

const plan: LoadPlan = { conversations: 100, perConversation: 20, duplicateRatio: 0.1 };
const total = plan.conversations * plan.perConversation;

describe.each([
  ['BullMQ + Redis + Postgres', { redisPrefix: `sbx-delivery-${process.pid}` }],
  ['in-process queue + Postgres', {}],
  ['in-process queue + embedded PGlite (the default)', { embedded: true }],
])('%s: 2,000 messages over 100 conversations, one in ten delivered twice, 8 workers', (_name, options) => {
  let t: TestRunner;
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  beforeAll(async () => {
    t = await startTestRunner({ ...options, env: { WORKER_CONCURRENCY: '8' } });
    cb = await callbackServer();
  });
  afterAll(async () => {
    await t.stop();
    await cb.close();
  });

  it('processes each unique message exactly once and returns every conversation’s replies in order', { timeout: 240_000 }, async () => {
    const channel = await t.addWebhookChannel(cb.url);
    const { statuses } = await sendLoad(t.baseUrl, channel, plan);
    expect(statuses.get(202)).toBe(total);
    expect(statuses.get(200)).toBe(total / 10);
    await waitFor(() => cb.received.length >= total, 120_000, `${total} replies (got ${cb.received.length})`);
    await new Promise((r) => setTimeout(r, 500));

    expect(cb.received).toHaveLength(total);
    expect(new Set(cb.received.map((r) => r.inReplyTo)).size).toBe(total);
    expect(checkReplies(cb.received, plan)).toEqual([]);

    const counts = await t.runner.pool.query<{ events: number; unprocessed: number; inbound: number; traces: number; sent: number }>(
      `SELECT (SELECT count(*) FROM inbound_event WHERE channel_id = $1)::int AS events,
              (SELECT count(*) FROM inbound_event WHERE channel_id = $1 AND processed_at IS NULL)::int AS unprocessed,
              (SELECT count(*) FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE c.channel_id = $1 AND m.direction = 'in')::int AS inbound,
              (SELECT count(*) FROM execution_trace t JOIN conversation c ON c.id = t.conversation_id WHERE c.channel_id = $1)::int AS traces,
              (SELECT count(*) FROM outbox WHERE channel_id = $1 AND status = 'sent')::int AS sent`,
      [channel.id],
    );
    expect(counts.rows[0]).toEqual({ events: total, unprocessed: 0, inbound: total, traces: total, sent: total });
  });
});
