import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { verifySignature } from '@signalbox/channels';
import { callbackServer, postWebhook, waitFor } from '../src/testing/harness.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

describe('generic webhook ingress (DESIGN section 5)', () => {
  let t: TestRunner;
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  let channel: { id: string; secret: string };
  const msg = (id: string, text = 'hola', conversationId = 'c-1') => ({ id, conversationId, from: { id: 'u-7', name: 'Ana', locale: 'es' }, text, timestamp: '2026-11-23T10:00:00Z' });

  beforeAll(async () => {
    t = await startTestRunner();
    cb = await callbackServer();
    channel = await t.addWebhookChannel(cb.url);
  });
  afterAll(async () => {
    await t.stop();
    await cb.close();
  });

  it('accepts a signed message with 202 and POSTs the signed reply to the callback URL', async () => {
    const answer = await postWebhook(t.baseUrl, channel.id, channel.secret, msg('evt-1'));
    expect(answer).toEqual({ status: 202, json: { accepted: true } });
    await waitFor(() => cb.received.some((r) => r.inReplyTo === 'evt-1'), 10_000, 'the reply');
    const reply = cb.received.find((r) => r.inReplyTo === 'evt-1');
    expect(reply).toMatchObject({ conversationId: 'c-1', text: 'echo: hola', buttons: [] });
    expect(verifySignature(Buffer.from(reply?.raw ?? ''), channel.secret, reply?.signature)).toBe(true);
  });

  it('answers a repeated id with 200 duplicate and processes it once', async () => {
    expect((await postWebhook(t.baseUrl, channel.id, channel.secret, msg('evt-dup', 'once'))).status).toBe(202);
    expect(await postWebhook(t.baseUrl, channel.id, channel.secret, msg('evt-dup', 'once'))).toEqual({ status: 200, json: { duplicate: true } });
    await waitFor(() => cb.received.some((r) => r.inReplyTo === 'evt-dup'), 10_000, 'the reply');
    await new Promise((r) => setTimeout(r, 300));
    expect(cb.received.filter((r) => r.inReplyTo === 'evt-dup')).toHaveLength(1);
  });

  it('rejects malformed JSON with 400 malformed_json', async () => {
    const answer = await postWebhook(t.baseUrl, channel.id, channel.secret, null, { raw: '{"id": "x", ' });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'malformed_json' });
  });

  it('rejects wrong types with 400 and names every field at fault', async () => {
    const answer = await postWebhook(t.baseUrl, channel.id, channel.secret, { id: 5, conversationId: '', from: { name: 'x' }, text: 'hi' });
    expect(answer.status).toBe(400);
    expect(answer.json?.error).toBe('invalid_body');
    const paths = (answer.json?.issues as { path: string }[]).map((i) => i.path).sort();
    expect(paths).toEqual(['$.conversationId', '$.from.id', '$.id']);
  });

  it('rejects a body over the size limit with 413', async () => {
    const answer = await postWebhook(t.baseUrl, channel.id, channel.secret, msg('evt-big', 'x'.repeat(1024 * 1024 + 10)));
    expect(answer.status).toBe(413);
    expect(answer.json).toMatchObject({ error: 'payload_too_large' });
  });

  it('rejects a bad or missing signature with 401', async () => {
    const bad = await postWebhook(t.baseUrl, channel.id, channel.secret, msg('evt-sig'), { signature: 'sha256=00' });
    expect(bad.status).toBe(401);
    expect(bad.json?.error).toBe('bad_signature');
    const wrongSecret = await postWebhook(t.baseUrl, channel.id, 'not-the-secret', msg('evt-sig'));
    expect(wrongSecret.status).toBe(401);
    const missing = await postWebhook(t.baseUrl, channel.id, channel.secret, msg('evt-sig'), { signature: null });
    expect(missing.status).toBe(401);
    expect(String(missing.json?.message)).toContain('missing');
  });

  it('answers an unknown channel with 404', async () => {
    const answer = await postWebhook(t.baseUrl, 'no-such-channel', channel.secret, msg('evt-404'));
    expect(answer.status).toBe(404);
    expect(answer.json?.error).toBe('unknown_channel');
  });

  it('answers 500 (retry later), not 404, when a channel cannot be read', async () => {
    const broken = await t.addWebhookChannel(cb.url);
    // As after SIGNALBOX_SECRET_KEY changed: the stored credentials no longer open.
    await t.runner.pool.query(`UPDATE channel SET credentials = 'v1.garbage' WHERE id = $1`, [broken.id]);
    const answer = await postWebhook(t.baseUrl, broken.id, broken.secret, msg('evt-500'));
    expect(answer.status).toBe(500);
    expect(answer.json?.error).toBe('internal_error');
    const stored = await t.runner.pool.query('SELECT 1 FROM inbound_event WHERE channel_id = $1', [broken.id]);
    expect(stored.rowCount).toBe(0);
  });

  it('tells a web chat that the chat is unavailable when its channel cannot be read', async () => {
    await t.runner.pool.query(`UPDATE channel SET credentials = 'v1.garbage' WHERE id = 'demo-webchat'`);
    const socket = new WebSocket(`${t.baseUrl.replace('http', 'ws')}/chat/demo-webchat/ws?session=session-unavailable`);
    const first = new Promise<unknown>((resolve, reject) => {
      socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8'))));
      socket.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    expect(await first).toMatchObject({ type: 'error', error: 'unavailable' });
    expect(await closed).toBe(1011);
  });

  it('keeps serving after every kind of bad request', async () => {
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.baseUrl}/readyz`)).status).toBe(200);
    expect((await postWebhook(t.baseUrl, channel.id, channel.secret, msg('evt-after', 'still here'))).status).toBe(202);
    await waitFor(() => cb.received.some((r) => r.text === 'echo: still here'), 10_000, 'the reply');
  });

  it('exposes Prometheus metrics for accepted, processed, sent, rejected, queue depth and step latency', async () => {
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    // Samples, not names: prom-client prints HELP and TYPE lines for every metric, even one never incremented.
    // The tests above sent, processed and answered messages, and were refused for bad signatures.
    expect(text).toMatch(/^signalbox_events_accepted_total\{channel_type="webhook"\} [1-9]/m);
    expect(text).toMatch(/^signalbox_events_processed_total\{kind="message"\} [1-9]/m);
    expect(text).toMatch(/^signalbox_messages_sent_total\{channel_type="webhook"\} [1-9]/m);
    expect(text).toMatch(/signalbox_events_rejected_total\{reason="bad_signature"\} [1-9]/);
    expect(text).toMatch(/^signalbox_queue_depth\{queue="inbound"\} \d/m);
    expect(text).toMatch(/^signalbox_step_duration_seconds_bucket\{le="\+Inf"\} [1-9]/m);
  });
});

describe('outbound retries (DESIGN section 5)', () => {
  let t: TestRunner;
  beforeAll(async () => {
    t = await startTestRunner({ env: { SEND_MAX_ATTEMPTS: '3' } });
  });
  afterAll(async () => t.stop());

  it('retries 5xx and 429 (honouring Retry-After) until the callback accepts', async () => {
    const cb = await callbackServer((_body, n) => (n === 1 ? { status: 503 } : n === 2 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
    const channel = await t.addWebhookChannel(cb.url);
    const started = Date.now();
    expect((await postWebhook(t.baseUrl, channel.id, channel.secret, { id: 'r-1', conversationId: 'c', from: { id: 'u' }, text: 'retry me' })).status).toBe(202);
    await waitFor(() => cb.received.length === 1, 15_000, 'the delivered reply');
    expect(cb.attempts()).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    await cb.close();
  });

  it('marks the message failed with the reason after the last try, and on a permanent 4xx at once', async () => {
    const cb = await callbackServer(() => ({ status: 500 }));
    const channel = await t.addWebhookChannel(cb.url);
    await postWebhook(t.baseUrl, channel.id, channel.secret, { id: 'f-1', conversationId: 'c-f', from: { id: 'u' }, text: 'doomed' });
    const failedRow = async () =>
      (
        await t.runner.pool.query<{ status: string; error: string | null }>(
          `SELECT m.status, m.error FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE c.channel_id = $1 AND m.direction = 'out'`,
          [channel.id],
        )
      ).rows[0];
    await waitFor(async () => (await failedRow())?.status === 'failed', 20_000, 'the message to fail');
    expect(cb.attempts()).toBe(3);
    expect((await failedRow())?.error).toContain('HTTP 500');
    await cb.close();

    const gone = await callbackServer(() => ({ status: 410 }));
    const channel2 = await t.addWebhookChannel(gone.url);
    await postWebhook(t.baseUrl, channel2.id, channel2.secret, { id: 'f-2', conversationId: 'c-g', from: { id: 'u' }, text: 'gone' });
    await waitFor(() => gone.attempts() === 1, 10_000, 'one attempt');
    await new Promise((r) => setTimeout(r, 500));
    expect(gone.attempts()).toBe(1);
    await gone.close();
  });
});
