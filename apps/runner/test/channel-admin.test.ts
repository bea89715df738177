import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackServer, postWebhook, waitFor } from '../src/testing/harness.ts';
import { ADMIN_TOKEN_PURPOSE } from '../src/ingress/admin.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

describe('channel administration through the runner', () => {
  let t: TestRunner;
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  let channel: { id: string; secret: string };
  let token: string;
  const test = (id: string, body: unknown, auth: string | null = token) =>
    fetch(`${t.baseUrl}/admin/channels/${id}/test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }));

  beforeAll(async () => {
    t = await startTestRunner();
    cb = await callbackServer();
    channel = await t.addWebhookChannel(cb.url);
    token = t.runner.secrets.derive(ADMIN_TOKEN_PURPOSE);
  });
  afterAll(async () => {
    await t.stop();
    await cb.close();
  });

  it('sends a test message through the channel adapter and returns the platform answer', async () => {
    const answer = await test(channel.id, { to: 'customer-9', text: 'Testing 1 2 3' });
    expect(answer).toEqual({ status: 200, json: { ok: true, externalId: null } });
    expect(cb.received.at(-1)).toMatchObject({ conversationId: 'customer-9', text: 'Testing 1 2 3' });
  });

  it('refuses a missing or wrong token, a bad body naming its fields, an unknown channel and a web chat', async () => {
    expect((await test(channel.id, { to: 'x', text: 'y' }, null)).status).toBe(401);
    expect((await test(channel.id, { to: 'x', text: 'y' }, 'wrong')).status).toBe(401);
    expect(await test(channel.id, '{oops')).toMatchObject({ status: 400, json: { error: 'malformed_json' } });
    const invalid = await test(channel.id, { to: '', text: 5 });
    expect(invalid.status).toBe(400);
    expect((invalid.json.issues as { path: string }[]).map((i) => i.path).sort()).toEqual(['$.text', '$.to']);
    expect((await test('no-such-channel', { to: 'x', text: 'y' })).status).toBe(404);
    const chat = await t.addChannel('webchat', {});
    expect(await test(chat.id, { to: 'x', text: 'y' })).toMatchObject({ status: 400, json: { error: 'not_supported' } });
  });

  it('answers GET on a webhook without a handshake with 405', async () => {
    const answer = await fetch(`${t.baseUrl}/hooks/${channel.id}`);
    expect(answer.status).toBe(405);
  });

  it('records when the channel last heard from its platform and what it last refused', async () => {
    expect((await postWebhook(t.baseUrl, channel.id, channel.secret, { id: 'h-1', conversationId: 'c', from: { id: 'u' }, text: 'hi' })).status).toBe(202);
    expect((await postWebhook(t.baseUrl, channel.id, channel.secret, { id: 'h-2', conversationId: 'c', from: { id: 'u' }, text: 'hi' }, { signature: 'sha256=00' })).status).toBe(401);
    let row: { last_event_at: Date | null; last_error: string | null } | undefined;
    await waitFor(
      async () => {
        row = (await t.runner.pool.query<{ last_event_at: Date | null; last_error: string | null }>('SELECT last_event_at, last_error FROM channel WHERE id = $1', [channel.id])).rows[0];
        return row?.last_event_at !== null && row?.last_error !== null;
      },
      10_000,
      'channel health to be written',
    );
    expect(row?.last_error).toContain('X-Signalbox-Signature does not match the body');
  });
});
