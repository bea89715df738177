import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePlatform, type RecordedRequest } from '@signalbox/channels/testing';
import type { FlowDocument } from '@signalbox/nodes';
import { callbackServer, postWebhook, waitFor } from '../src/testing/harness.ts';
import { postMeta as postSigned, whatsappStatus, whatsappText } from '../src/testing/meta.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

const doc = (nodes: FlowDocument['nodes'], edges: [string, string, string][]): FlowDocument => ({
  schemaVersion: 1,
  nodes,
  edges: edges.map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source, sourceHandle, target })),
  variables: [],
});
const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, typeVersion: 1, position: { x: 0, y: 0 }, data });

describe.each([
  ['BullMQ + Redis + Postgres', { redisPrefix: `sbx-not-delivered-${process.pid}` }],
  ['in-process queue + Postgres', {}],
  ['in-process queue + embedded PGlite (the default)', { embedded: true }],
])("a send's \"Not delivered\" port in the runner (%s)", (_name, options) => {
  let t: TestRunner;
  // The shop's system refuses, for good, every reply whose text starts with "Refused".
  let cb: Awaited<ReturnType<typeof callbackServer>>;
  let n = 0;
  const say = (channel: { id: string; secret: string }, conversationId: string, text: string) =>
    postWebhook(t.baseUrl, channel.id, channel.secret, { id: `evt-${(n += 1)}`, conversationId, from: { id: `${conversationId}-user` }, text });
  const repliesOf = (conversationId: string) => cb.received.filter((r) => r.conversationId === conversationId).map((r) => r.text);
  const failureEvents = async (conversationId: string) =>
    (
      await t.runner.pool.query<{ processed: boolean; payload: Record<string, unknown>; trace: { nodeId: string; outcome: string; port?: string; detail?: string }[] | null }>(
        `SELECT e.processed_at IS NOT NULL AS processed, e.payload, x.trace
         FROM inbound_event e LEFT JOIN execution_trace x ON x.inbound_event_id = e.id
         WHERE e.kind = 'delivery-failed' AND e.conversation_key LIKE '%:' || $1 ORDER BY e.id`,
        [conversationId],
      )
    ).rows;

  beforeAll(async () => {
    t = await startTestRunner(options);
    cb = await callbackServer((body) => ({ status: body.text?.startsWith('Refused') ? 400 : 200 }));
  });
  afterAll(async () => {
    await t.stop();
    await cb.close();
  });

  it('runs the error branch exactly once when the platform refuses the reply for good', { timeout: 60_000 }, async () => {
    const channel = await t.addWebhookChannel(
      cb.url,
      doc(
        [
          node('start', 'start'),
          node('shipped', 'send-message', { text: 'Refused: your order shipped' }),
          node('again', 'send-message', { text: 'Second try ({{delivery.error}})' }),
        ],
        [
          ['start', 'next', 'shipped'],
          ['shipped', 'error', 'again'],
        ],
      ),
    );
    expect((await say(channel, 'refused-1', 'where is my order?')).status).toBe(202);
    await waitFor(() => repliesOf('refused-1').length === 1, 15_000, 'the error branch’s reply');
    expect(repliesOf('refused-1')).toEqual(['Second try (HTTP 400: {})']);
    // The platform has the reply before the sender records that it was accepted.
    await waitFor(
      async () =>
        (await t.runner.pool.query(`SELECT 1 FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE c.external_id = 'refused-1' AND m.direction = 'out' AND m.status = 'pending'`)).rowCount === 0,
      5_000,
      'the reply to be marked sent',
    );

    const conversation = await t.runner.pool.query<{ messages: { content: { text: string }; status: string; error: string | null }[] }>(
      `SELECT (SELECT json_agg(json_build_object('content', m.content, 'status', m.status, 'error', m.error) ORDER BY m.seq)
               FROM message m WHERE m.conversation_id = c.id AND m.direction = 'out') AS messages
       FROM conversation c WHERE c.channel_id = $1 AND c.external_id = 'refused-1'`,
      [channel.id],
    );
    expect(conversation.rows[0]?.messages.map((m) => [m.content.text, m.status, m.error])).toEqual([
      ['Refused: your order shipped', 'failed', 'HTTP 400: {}'],
      ['Second try (HTTP 400: {})', 'sent', null],
    ]);
    await waitFor(async () => (await failureEvents('refused-1')).every((e) => e.processed), 5_000, 'the failure to be processed');
    const [failure, ...more] = await failureEvents('refused-1');
    expect(more).toEqual([]);
    expect(failure?.payload).toMatchObject({ nodeId: 'shipped', flowId: null, error: 'HTTP 400: {}' });
    expect(failure?.trace?.[0]).toMatchObject({ nodeId: 'shipped', outcome: 'error', port: 'error', detail: 'not delivered: HTTP 400: {}' });

    // Once means once: the branch (which would send again if it ran again) never runs a second time, and the
    // refused reply was tried once.
    await new Promise((r) => setTimeout(r, 1000));
    expect(repliesOf('refused-1')).toHaveLength(1);
    expect(cb.attempts()).toBe(2);
  });

  it('changes nothing for the flow when the port is not connected: the question still waits for its answer', { timeout: 60_000 }, async () => {
    const channel = await t.addWebhookChannel(
      cb.url,
      doc(
        [
          node('start', 'start'),
          node('notice', 'send-message', { text: 'Refused: a notice' }),
          node('ask', 'ask-question', { question: 'Your email?', validation: 'email', saveAs: 'email' }),
          node('thanks', 'send-message', { text: 'Thanks {{email}}' }),
        ],
        [
          ['start', 'next', 'notice'],
          ['notice', 'next', 'ask'],
          ['ask', 'answered', 'thanks'],
        ],
      ),
    );
    await say(channel, 'refused-2', 'hi');
    await waitFor(() => repliesOf('refused-2').length === 1, 15_000, 'the question');
    await waitFor(async () => (await failureEvents('refused-2')).some((e) => e.processed), 15_000, 'the failure to be processed');
    expect((await failureEvents('refused-2'))[0]?.trace).toEqual([
      expect.objectContaining({ nodeId: 'notice', outcome: 'ignored', detail: 'not delivered (HTTP 400: {}); its error port is not connected' }),
    ]);
    await say(channel, 'refused-2', 'ana@example.com');
    await waitFor(() => repliesOf('refused-2').length === 2, 15_000, 'the answer');
    expect(repliesOf('refused-2')).toEqual(['Your email?', 'Thanks ana@example.com']);
  });
});

describe("a send's \"Not delivered\" port after a platform's failed receipt", () => {
  let t: TestRunner;
  const whatsappApi = new FakePlatform();
  let sent = 0;
  const postMeta = (channelId: string, body: unknown) => postSigned(t.baseUrl, channelId, body);
  const textsTo = (to: string) => whatsappApi.requests.filter((r) => (r.json as { to?: string }).to === to).map((r) => (r.json as { text?: { body?: string } }).text?.body);

  beforeAll(async () => {
    await whatsappApi.start();
    whatsappApi.otherwise((request: RecordedRequest) => {
      sent += 1;
      const to = (request.json as { to?: string }).to ?? '';
      return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: `wamid.out-${sent}` }] } };
    });
    t = await startTestRunner();
  });
  afterAll(async () => {
    await t.stop();
    await whatsappApi.stop();
  });

  it('runs the branch once when WhatsApp accepted the message but later reports it failed', { timeout: 60_000 }, async () => {
    const whatsapp = await t.addChannel(
      'whatsapp',
      { config: { apiBaseUrl: whatsappApi.url, phoneNumberId: 'pn-1' }, credentials: { appSecret: 'app-secret', verifyToken: 'verify-me', accessToken: 'wa-token' } },
      doc(
        [
          node('start', 'start'),
          node('shipped', 'send-message', { text: 'Your order shipped' }),
          node('again', 'send-message', { text: 'Not delivered: {{delivery.error}}' }),
        ],
        [
          ['start', 'next', 'shipped'],
          ['shipped', 'error', 'again'],
        ],
      ),
    );
    const customer = '4915100000009';
    const inbound = whatsappText('wamid.in-9', customer, 'where is it?');
    expect((await postMeta(whatsapp.id, inbound)).status).toBe(200);
    await waitFor(() => textsTo(customer).length === 1, 10_000, 'the reply');
    const accepted = `wamid.out-${sent}`;
    await waitFor(
      async () => (await t.runner.pool.query("SELECT 1 FROM message WHERE external_id = $1 AND status = 'sent'", [accepted])).rows.length === 1,
      10_000,
      'the reply to be marked sent',
    );

    const failed = whatsappStatus(accepted, customer, 'failed', { code: 131026, title: 'Message undeliverable' });
    expect((await postMeta(whatsapp.id, failed)).status).toBe(200);
    // Meta repeats webhooks: the same receipt again must not run the branch twice.
    expect((await postMeta(whatsapp.id, { ...failed, entry: [{ ...failed.entry[0], id: 'waba-repeat' }] })).status).toBe(200);
    await waitFor(() => textsTo(customer).length === 2, 10_000, 'the error branch’s message');
    await new Promise((r) => setTimeout(r, 1000));
    expect(textsTo(customer)).toEqual(['Your order shipped', 'Not delivered: 131026: Message undeliverable']);
  });
});
