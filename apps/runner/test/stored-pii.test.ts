import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDocument } from '@signalbox/nodes';
import { callbackServer, postWebhook, waitFor } from '../src/testing/harness.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

const echo: FlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, data: {} },
    { id: 'say', type: 'send-message', typeVersion: 1, position: { x: 0, y: 100 }, data: { text: 'We will write to {{message.text}}' } },
  ],
  edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'say' }],
  variables: [],
};

describe('MASK_STORED_PII', () => {
  let t: TestRunner;
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  let channel: { id: string; secret: string };

  beforeAll(async () => {
    cb = await callbackServer();
    t = await startTestRunner({ env: { MASK_STORED_PII: 'true' } });
    channel = await t.addWebhookChannel(cb.url, echo);
  });
  afterAll(async () => {
    await t.stop();
    await cb.close();
  });

  it('keeps personal data out of stored messages and events, while the flow reads and answers with the real text', async () => {
    await postWebhook(t.baseUrl, channel.id, channel.secret, { id: 'evt-1', conversationId: 'c1', from: { id: 'u1' }, text: 'ada@example.com, card 4111 1111 1111 1111' });
    await waitFor(() => cb.received.length === 1, 20_000, 'the reply');
    expect(cb.received[0]?.text).toBe('We will write to ada@example.com, card 4111 1111 1111 1111');

    const stored = await t.runner.pool.query<{ direction: string; content: { text: string }; raw: unknown }>(
      `SELECT m.direction, m.content, m.raw FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE c.external_id = 'c1' ORDER BY m.seq`,
    );
    expect(stored.rows.map((r) => [r.direction, r.content.text])).toEqual([
      ['in', '[EMAIL], card [CARD]'],
      ['out', 'We will write to [EMAIL], card [CARD]'],
    ]);
    const events = await t.runner.pool.query<{ payload: unknown }>(`SELECT payload FROM inbound_event WHERE kind = 'message'`);
    expect(events.rows).toHaveLength(1);
    expect(JSON.stringify(events.rows[0]?.payload)).toContain('[EMAIL], card [CARD]');
    const everything = JSON.stringify([stored.rows, events.rows]);
    expect(everything).not.toContain('ada@example.com');
    expect(everything).not.toContain('4111');
  });
});
