import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePlatform, type RecordedRequest } from '@signalbox/channels/testing';
import { waitFor } from '../src/testing/harness.ts';
import { postMeta as postSigned, whatsappStatus, whatsappText } from '../src/testing/meta.ts';
import { ADMIN_TOKEN_PURPOSE } from '../src/ingress/admin.ts';
import { ROOT, startTestRunner, type TestRunner } from './setup.ts';

const FIXTURES = join(ROOT, '../shared/fixtures/channels');
const fixtureJson = (path: string) => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as Record<string, unknown>;

describe('platform channels through the runner', () => {
  let t: TestRunner;
  const whatsappApi = new FakePlatform();
  const telegramApi = new FakePlatform();
  let whatsapp: { id: string };
  let telegram: { id: string };
  let sent = 0;

  const postMeta = (channelId: string, body: unknown, secret = 'app-secret') => postSigned(t.baseUrl, channelId, body, secret);
  const postTelegram = (body: unknown, token = 'tg-secret') =>
    fetch(`${t.baseUrl}/hooks/${telegram.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': token }, body: JSON.stringify(body) });
  const messageRow = async (externalId: string) =>
    (await t.runner.pool.query<{ status: string; error: string | null }>("SELECT status, error FROM message WHERE external_id = $1 AND direction = 'out'", [externalId])).rows[0];

  beforeAll(async () => {
    await whatsappApi.start();
    await telegramApi.start();
    whatsappApi.otherwise((request: RecordedRequest) => {
      const to = (request.json as { to?: string }).to ?? '';
      if (to === 'refused') return { status: 400, body: { error: { message: 'Re-engagement message', type: 'OAuthException', code: 131047, error_data: { details: 'More than 24 hours have passed' }, fbtrace_id: 'f1' } } };
      sent += 1;
      return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.out-${sent}` }] } };
    });
    telegramApi.otherwise((request: RecordedRequest) => {
      const chat = (request.json as { chat_id?: number }).chat_id ?? 0;
      return { status: 200, body: { ok: true, result: request.path.endsWith('answerCallbackQuery') ? true : { message_id: 900 + telegramApi.requests.length, chat: { id: chat, type: 'private' }, date: 0 } } };
    });
    t = await startTestRunner();
    whatsapp = await t.addChannel('whatsapp', { config: { apiBaseUrl: whatsappApi.url, phoneNumberId: 'pn-1' }, credentials: { appSecret: 'app-secret', verifyToken: 'verify-me', accessToken: 'wa-token' } });
    telegram = await t.addChannel('telegram', { config: { apiBaseUrl: telegramApi.url }, credentials: { botToken: '123:abc', secretToken: 'tg-secret' } });
  });
  afterAll(async () => {
    await t.stop();
    await whatsappApi.stop();
    await telegramApi.stop();
  });

  it("answers Meta's verification handshake only with the channel's verify token", async () => {
    const ok = await fetch(`${t.baseUrl}/hooks/${whatsapp.id}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${t.baseUrl}/hooks/${whatsapp.id}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(wrong.status).toBe(403);
  });

  it('a signed WhatsApp message is answered through the Cloud API, and receipts move the reply to delivered and read', async () => {
    const answer = await postMeta(whatsapp.id, whatsappText('wamid.in-1', '4915100000001', 'hello shop'));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ accepted: 1, duplicates: 0 });
    await waitFor(() => whatsappApi.requests.some((r) => (r.json as { to?: string }).to === '4915100000001'), 10_000, 'the WhatsApp reply');
    const request = whatsappApi.requests.find((r) => (r.json as { to?: string }).to === '4915100000001');
    expect(request?.path).toBe('/pn-1/messages');
    expect(request?.headers.authorization).toBe('Bearer wa-token');
    expect(request?.json).toMatchObject({ messaging_product: 'whatsapp', to: '4915100000001', type: 'text', text: { body: 'echo: hello shop' }, context: { message_id: 'wamid.in-1' } });

    const externalId = `wamid.out-${sent}`;
    await waitFor(async () => (await messageRow(externalId))?.status === 'sent', 10_000, 'the reply to be marked sent');
    // Receipts arrive out of order: read before delivered must not move it back.
    expect((await postMeta(whatsapp.id, whatsappStatus(externalId, '4915100000001', 'read'))).status).toBe(200);
    await waitFor(async () => (await messageRow(externalId))?.status === 'read', 10_000, 'the read receipt');
    expect((await postMeta(whatsapp.id, whatsappStatus(externalId, '4915100000001', 'delivered'))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await messageRow(externalId))?.status).toBe('read');
  });

  it('refuses an unsigned or wrongly signed WhatsApp body, and answers a repeat as a duplicate', async () => {
    const body = whatsappText('wamid.in-2', '4915100000002', 'once');
    expect((await postMeta(whatsapp.id, body, 'wrong secret')).status).toBe(401);
    const unsigned = await fetch(`${t.baseUrl}/hooks/${whatsapp.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { message: string }).message).toContain('X-Hub-Signature-256');
    expect(await (await postMeta(whatsapp.id, body)).json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(await (await postMeta(whatsapp.id, body)).json()).toEqual({ accepted: 0, duplicates: 1 });
    const notMeta = await postMeta(whatsapp.id, { hello: 'world' });
    expect(notMeta.status).toBe(400);
  });

  it("stores the business's own echoes without answering them", async () => {
    const echo = fixtureJson('whatsapp/whatsapp_cloud_smb_message_echo.json');
    // The echo is of a message the business sent to this customer; nothing may be sent to them in answer.
    const customer = '919745786257';
    expect((await postMeta(whatsapp.id, echo)).status).toBe(200);
    const echoes = async () =>
      (await t.runner.pool.query<{ stored: number; waiting: number }>("SELECT count(*)::int AS stored, count(*) FILTER (WHERE processed_at IS NULL)::int AS waiting FROM inbound_event WHERE payload->>'echo' = 'true'")).rows[0];
    await waitFor(async () => {
      const counts = await echoes();
      return (counts?.stored ?? 0) > 0 && counts?.waiting === 0;
    }, 10_000, 'the echoes to be processed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(whatsappApi.requests.filter((r) => (r.json as { to?: string }).to === customer)).toEqual([]);
  });

  it("marks a reply failed with the platform's reason when WhatsApp refuses it for good", async () => {
    expect((await postMeta(whatsapp.id, whatsappText('wamid.in-3', 'refused', 'are you there?'))).status).toBe(200);
    let row: { status: string; error: string | null } | undefined;
    await waitFor(
      async () => {
        row = (await t.runner.pool.query<{ status: string; error: string | null }>("SELECT m.status, m.error FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE c.external_id = 'refused' AND m.direction = 'out'")).rows[0];
        return row?.status === 'failed';
      },
      10_000,
      'the reply to fail',
    );
    expect(row?.error).toContain('131047');
  });

  it('answers Telegram updates, acknowledges button presses, and spaces replies to one chat', async () => {
    const update = (id: number, text: string) => ({ update_id: id, message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: 4242, type: 'private', first_name: 'Ana' }, from: { id: 4242, is_bot: false, first_name: 'Ana' }, text } });
    expect((await postTelegram(update(1, 'one'), 'wrong')).status).toBe(401);
    for (const [i, text] of ['one', 'two', 'three'].entries()) expect((await postTelegram(update(10 + i, text))).status).toBe(200);
    const replies = () => telegramApi.requests.filter((r) => r.path === '/bot123:abc/sendMessage');
    await waitFor(() => replies().length === 3, 15_000, 'three Telegram replies');
    expect(replies().map((r) => (r.json as { text: string }).text)).toEqual(['echo: one', 'echo: two', 'echo: three']);
    // Telegram allows one message a second per chat.
    const times = replies().map((r) => r.at);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(950);

    const press = fixtureJson('telegram/telegram_callback_query.json');
    expect((await postTelegram({ ...press, update_id: 77 })).status).toBe(200);
    await waitFor(() => telegramApi.requests.some((r) => r.path.endsWith('/answerCallbackQuery')), 10_000, 'answerCallbackQuery');
    expect(telegramApi.requests.find((r) => r.path.endsWith('/answerCallbackQuery'))?.json).toEqual({ callback_query_id: 'query-id' });
  });

  it('a Messenger read receipt with only a watermark marks every reply sent before it as read', async () => {
    const graph = new FakePlatform(() => ({ status: 200, body: { recipient_id: 'psid-1', message_id: `m_out_${Date.now()}` } }));
    await graph.start();
    try {
      const messenger = await t.addChannel('messenger', { config: { apiBaseUrl: graph.url, pageId: 'page-1' }, credentials: { appSecret: 'app-secret', verifyToken: 'v', pageAccessToken: 'page-token' } });
      const now = Date.now();
      const text = { object: 'page', entry: [{ id: 'page-1', time: now, messaging: [{ sender: { id: 'psid-1' }, recipient: { id: 'page-1' }, timestamp: now, message: { mid: 'm_in_1', text: 'hi page' } }] }] };
      expect((await postMeta(messenger.id, text)).status).toBe(200);
      const replies = async () =>
        (await t.runner.pool.query<{ status: string }>("SELECT m.status FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE c.channel_id = $1 AND m.direction = 'out'", [messenger.id])).rows;
      await waitFor(async () => (await replies()).some((r) => r.status === 'sent'), 10_000, 'the Messenger reply to be sent');
      const watermark = Date.now() + 1000;
      const read = { object: 'page', entry: [{ id: 'page-1', time: watermark, messaging: [{ sender: { id: 'psid-1' }, recipient: { id: 'page-1' }, read: { watermark: String(watermark) } }] }] };
      expect((await postMeta(messenger.id, read)).status).toBe(200);
      await waitFor(async () => (await replies()).every((r) => r.status === 'read'), 10_000, 'the watermark to mark the reply read');
    } finally {
      await graph.stop();
    }
  });

  it('the admin API registers the Telegram webhook and refuses plain HTTP addresses', async () => {
    const token = t.runner.secrets.derive(ADMIN_TOKEN_PURPOSE);
    const answer = await fetch(`${t.baseUrl}/admin/channels/${telegram.id}/register`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    // The test runner has no HTTPS public address; Telegram would refuse it, so Signalbox says so first.
    expect(await answer.json()).toMatchObject({ ok: false, error: expect.stringContaining('HTTPS') });
    expect(telegramApi.requests.some((r) => r.path.endsWith('/setWebhook'))).toBe(false);
  });
});
