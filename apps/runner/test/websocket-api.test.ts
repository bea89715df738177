import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from '../src/testing/harness.ts';
import { startTestRunner, type TestRunner } from './setup.ts';

type Frame = Record<string, unknown> & { type: string };

/** A custom client of the WebSocket API, keeping every frame it received. */
class Client {
  readonly frames: Frame[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.frames.push(JSON.parse(data.toString('utf8')) as Frame));
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<Client> {
    const socket = new WebSocket(url, { headers });
    const client = new Client(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** The HTTP status of a refused handshake. */
  static refusal(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    const socket = new WebSocket(url, { headers });
    return new Promise((resolve, reject) => {
      socket.once('open', () => reject(new Error('the handshake was accepted')));
      socket.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      socket.once('error', () => undefined);
    });
  }

  send(frame: unknown) {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  async next(match: (frame: Frame) => boolean, what: string, timeoutMs = 10_000): Promise<Frame> {
    await waitFor(() => this.frames.some(match), timeoutMs, what);
    return this.frames.find(match)!;
  }

  close() {
    this.socket.close();
  }
}

describe('WebSocket API for custom clients (GET /ws/:channelId)', () => {
  let t: TestRunner;
  let channel: { id: string; secret: string };
  let url: string;
  const clients: Client[] = [];
  const open = async (query = `?token=${encodeURIComponent(channel.secret)}`, headers: Record<string, string> = {}) => {
    const client = await Client.open(`${url}${query}`, headers);
    clients.push(client);
    return client;
  };
  const message = (id: string, text: string, conversationId = 'c-1') => ({ type: 'message', id, conversationId, from: { id: 'u-7', name: 'Ana', locale: 'es' }, text });

  beforeAll(async () => {
    t = await startTestRunner();
    const secret = 'ws-api-secret-0123456789';
    channel = { id: (await t.addChannel('websocket', { credentials: { secret } })).id, secret };
    url = `${t.baseUrl.replace('http', 'ws')}/ws/${channel.id}`;
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await t.stop();
  });

  it('refuses the handshake without a token, with a wrong token, and for a channel that is not a WebSocket channel', async () => {
    const none = await Client.refusal(url);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ error: 'missing_token' });
    const wrong = await Client.refusal(`${url}?token=not-the-secret`);
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toMatchObject({ error: 'bad_token' });
    expect((await Client.refusal(url, { authorization: `Bearer ${channel.secret}x` })).status).toBe(401);
    expect((await Client.refusal(`${t.baseUrl.replace('http', 'ws')}/ws/no-such-channel?token=${channel.secret}`)).status).toBe(404);
    const webhook = await t.addWebhookChannel('http://127.0.0.1:9/callback');
    expect((await Client.refusal(`${t.baseUrl.replace('http', 'ws')}/ws/${webhook.id}?token=${webhook.secret}`)).status).toBe(404);
  });

  it('accepts a message (Authorization: Bearer) and sends the flow’s reply in the webhook’s outbound shape', async () => {
    const client = await open('', { authorization: `Bearer ${channel.secret}` });
    client.send(message('m-1', 'hola'));
    expect(await client.next((f) => f.type === 'ack', 'the ack')).toEqual({ type: 'ack', id: 'm-1', duplicate: false });
    const reply = await client.next((f) => f.type === 'message' && f.inReplyTo === 'm-1', 'the reply');
    expect(reply).toMatchObject({ type: 'message', conversationId: 'c-1', inReplyTo: 'm-1', text: 'echo: hola', buttons: [], attachments: [] });
    expect(typeof reply.id).toBe('string');
  });

  it('acks a repeated id as a duplicate and answers it once', async () => {
    const client = await open();
    client.send(message('m-dup', 'once', 'c-dup'));
    client.send(message('m-dup', 'once', 'c-dup'));
    await waitFor(() => client.frames.filter((f) => f.type === 'ack').length === 2, 10_000, 'two acks');
    expect(client.frames.filter((f) => f.type === 'ack')).toEqual([
      { type: 'ack', id: 'm-dup', duplicate: false },
      { type: 'ack', id: 'm-dup', duplicate: true },
    ]);
    await client.next((f) => f.type === 'message' && f.inReplyTo === 'm-dup', 'the reply');
    await new Promise((r) => setTimeout(r, 300));
    expect(client.frames.filter((f) => f.type === 'message' && f.inReplyTo === 'm-dup')).toHaveLength(1);
  });

  it('answers malformed JSON and invalid fields with errors that name the fields, and keeps the socket open', async () => {
    const client = await open();
    client.send('{"type": "message", ');
    expect(await client.next((f) => f.type === 'error' && f.error === 'malformed_json', 'malformed_json')).toMatchObject({ issues: [{ path: '$' }] });

    client.send({ type: 'message', id: 'm-bad', conversationId: '', from: { name: 'x' }, text: 7 });
    const invalid = await client.next((f) => f.type === 'error' && f.error === 'invalid_message', 'invalid_message');
    expect(invalid.id).toBe('m-bad');
    expect((invalid.issues as { path: string }[]).map((i) => i.path).sort()).toEqual(['$.conversationId', '$.from.id', '$.text']);

    client.send({ type: 'subscribe' });
    expect(await client.next((f) => f.type === 'error' && f.error === 'invalid_request', 'invalid_request')).toMatchObject({ issues: [{ path: '$.type' }] });
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    await waitFor(() => client.frames.filter((f) => f.error === 'malformed_json').length === 2, 5_000, 'the binary frame refused');

    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.send({ type: 'ping' });
    await client.next((f) => f.type === 'pong', 'pong');
    client.send(message('m-after', 'still here', 'c-after'));
    expect(await client.next((f) => f.type === 'message' && f.inReplyTo === 'm-after', 'the reply after bad input')).toMatchObject({ text: 'echo: still here' });
  });

  it('answers a history request with the conversation in order, in the contract’s shapes', async () => {
    const client = await open();
    client.send(message('h-1', 'first', 'c-history'));
    await client.next((f) => f.type === 'message' && f.inReplyTo === 'h-1', 'the first reply');
    client.send({ type: 'message', id: 'h-2', conversationId: 'c-history', from: { id: 'u-7' }, reply: { id: 'yes', title: 'Yes' } });
    await client.next((f) => f.type === 'message' && f.inReplyTo === 'h-2', 'the second reply');
    client.send({ type: 'history', id: 'req-1', conversationId: 'c-history' });
    const history = await client.next((f) => f.type === 'history', 'the history');
    expect(history).toMatchObject({ id: 'req-1', conversationId: 'c-history' });
    expect((history.messages as Frame[]).map((m) => [m.direction, m.text, m.messageId ?? null])).toEqual([
      ['in', 'first', 'h-1'],
      ['out', 'echo: first', null],
      ['in', 'Yes', 'h-2'],
      ['out', 'echo: Yes', null],
    ]);
    expect((history.messages as Frame[])[2]).toMatchObject({ reply: { id: 'yes', title: 'Yes' }, attachments: [] });

    client.send({ type: 'history', conversationId: 'never-seen' });
    expect(await client.next((f) => f.type === 'history' && f.conversationId === 'never-seen', 'the empty history')).toMatchObject({ messages: [] });
  });

  it('sends every reply of every conversation to every connected client', async () => {
    const a = await open();
    const b = await open();
    a.send(message('fan-1', 'to all', 'c-fan-a'));
    const seenByB = await b.next((f) => f.type === 'message' && f.inReplyTo === 'fan-1', 'the reply at the other client');
    expect(seenByB).toMatchObject({ conversationId: 'c-fan-a', text: 'echo: to all' });
    await a.next((f) => f.type === 'message' && f.inReplyTo === 'fan-1', 'the reply at the sender');
  });

  it('retries a reply while no client is connected and delivers it when one is back', async () => {
    for (const client of clients.splice(0)) client.close();
    await new Promise((r) => setTimeout(r, 100));
    const gone = await Client.open(`${url}?token=${channel.secret}`);
    gone.send(message('offline-1', 'while away', 'c-offline'));
    // Gone before the reply exists: the flow runs after the message is stored.
    gone.socket.terminate();

    const outboxRow = async () =>
      (
        await t.runner.pool.query<{ status: string; attempts: number; last_error: string | null }>(
          `SELECT o.status, o.attempts, o.last_error FROM outbox o JOIN conversation c ON c.id = o.conversation_id WHERE c.channel_id = $1 AND c.external_id = 'c-offline'`,
          [channel.id],
        )
      ).rows[0];
    await waitFor(async () => ((await outboxRow())?.attempts ?? 0) >= 1 && (await outboxRow())?.status === 'pending', 10_000, 'a retried reply');
    expect((await outboxRow())?.last_error).toContain('no WebSocket client');

    const back = await open();
    expect(await back.next((f) => f.type === 'message' && f.inReplyTo === 'offline-1', 'the retried reply', 15_000)).toMatchObject({ text: 'echo: while away' });
    await waitFor(async () => (await outboxRow())?.status === 'sent', 5_000, 'the row marked sent');
  });
});
