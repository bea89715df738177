import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookChat, testFlow, type WebhookChat } from './setup.ts';

const echo = testFlow(
  [
    ['start', 'start'],
    ['say', 'send-message', { text: 'We will write to {{message.text}}' }],
  ],
  [['start', 'next', 'say']],
);

describe('MASK_STORED_PII', () => {
  let chat: WebhookChat;
  beforeAll(async () => {
    chat = await startWebhookChat({ env: { MASK_STORED_PII: 'true' } });
    await chat.open(echo);
  });
  afterAll(async () => {
    await chat?.stop();
  });

  it('keeps personal data out of stored messages and events, while the flow reads and answers with the real text', async () => {
    await chat.say('c1', 'ada@example.com, card 4111 1111 1111 1111');
    expect(await chat.replies('c1', 1)).toEqual(['We will write to ada@example.com, card 4111 1111 1111 1111']);

    const pool = chat.t.runner.pool;
    const stored = await pool.query<{ direction: string; content: { text: string }; raw: unknown }>(
      `SELECT m.direction, m.content, m.raw FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE c.external_id = 'c1' ORDER BY m.seq`,
    );
    expect(stored.rows.map((r) => [r.direction, r.content.text])).toEqual([
      ['in', '[EMAIL], card [CARD]'],
      ['out', 'We will write to [EMAIL], card [CARD]'],
    ]);
    const events = await pool.query<{ payload: unknown }>(`SELECT payload FROM inbound_event WHERE kind = 'message'`);
    expect(events.rows).toHaveLength(1);
    expect(JSON.stringify(events.rows[0]?.payload)).toContain('[EMAIL], card [CARD]');
    // The outbox row went out with the real text, and keeps only the masked copy once it is sent.
    const sentRow = async () =>
      (await pool.query<{ status: string; payload: { message: { text: string } }; stored_payload: unknown }>(`SELECT status, payload, stored_payload FROM outbox`)).rows;
    await expect.poll(async () => (await sentRow()).map((r) => r.status), { timeout: 5_000 }).toEqual(['sent']);
    const [outbox] = await sentRow();
    expect(outbox?.payload.message.text).toBe('We will write to [EMAIL], card [CARD]');
    expect(outbox?.stored_payload).toBeNull();
    const everything = JSON.stringify([stored.rows, events.rows, outbox]);
    expect(everything).not.toContain('ada@example.com');
    expect(everything).not.toContain('4111');
  });
});
