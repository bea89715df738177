import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelRepository, createPool, createPrisma, createWorkspace, FlowRepository, migrate, SecretBox } from '@signalbox/db';
import { loadConfig } from '../src/config.ts';
import { ALL_ROLES, startRunner, type Runner } from '../src/runtime.ts';
import { freshDatabase, waitFor } from '../src/testing/harness.ts';
import { exampleFlow } from './setup.ts';

/**
 * An `mqtt` channel end to end, through the Mosquitto broker every development and CI machine runs
 * (TEST_MQTT_URL, default mqtt://127.0.0.1:1883): customers publish, the echo flow answers on the outbound
 * topic. Without the broker this fails, never skips. Topics are unique per run, so parallel runs do not meet.
 */
const BROKER_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const KEY = 'test-secret-key-0123456789';
const prefix = `sbx-test/${process.pid}-${randomBytes(4).toString('hex')}`;

interface Reply {
  topic: string;
  body: { id: string; conversationId: string; to: string; inReplyTo: string | null; text: string };
}

describe('MQTT channel through a real broker', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let runner: Runner | null = null;
  let customer: MqttClient;
  let channelId: string;
  const replies: Reply[] = [];
  const logs: { msg?: string; channelId?: string; reason?: string }[] = [];
  const repliesOn = (conversation: string) => replies.filter((r) => r.topic === `${prefix}/${conversation}/out`);
  const publish = (topic: string, payload: unknown) =>
    customer.publishAsync(`${prefix}/${topic}`, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1 });
  const message = (id: string, text: string, extra: Record<string, unknown> = {}) => ({ id: `${prefix}-${id}`, from: { id: 'device-7', name: 'Kiosk' }, text, ...extra });

  /** Starts the runner on the test database and waits until the channel's subscription is in place. */
  async function start() {
    const since = logs.length;
    const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as (typeof logs)[number]) });
    runner = await startRunner(loadConfig({ DATABASE_URL: database.url, PORT: '0', SIGNALBOX_SECRET_KEY: KEY }), ALL_ROLES, log);
    await waitFor(() => logs.slice(since).some((l) => l.msg === 'MQTT subscribed' && l.channelId === channelId), 10_000, 'the MQTT subscription');
  }

  beforeAll(async () => {
    // First, so a missing broker fails the suite at once.
    customer = await connectAsync(BROKER_URL, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5_000 });
    customer.on('message', (topic, payload) => replies.push({ topic, body: JSON.parse(payload.toString()) as Reply['body'] }));
    await customer.subscribeAsync(`${prefix}/+/out`, { qos: 1 });

    // The channel exists before the runner starts, as after a deploy: the runner subscribes as it starts.
    database = await freshDatabase();
    const pool = createPool(database.url, 2);
    await migrate(pool);
    await pool.end();
    const prisma = createPrisma(database.url);
    const workspaceId = await createWorkspace(prisma, 'Test shop');
    const flows = new FlowRepository(prisma);
    const flowId = await flows.create({ workspaceId, name: 'echo', document: exampleFlow('echo') });
    await flows.publish(flowId);
    const config = { brokerUrl: BROKER_URL, inboundTopic: `${prefix}/+/in`, outboundTopic: `${prefix}/{conversationId}/out`, qos: 1 };
    channelId = (await new ChannelRepository(prisma, new SecretBox(KEY)).create({ workspaceId, type: 'mqtt', name: 'Kiosks', config, flowId })).id;
    await prisma.$disconnect();
    await start();
  });

  afterAll(async () => {
    await runner?.stop();
    await customer?.endAsync();
    // The channel's persistent session would outlive the test on the broker: a clean start ends it.
    if (channelId) await (await connectAsync(BROKER_URL, { clientId: `signalbox-${channelId}`, clean: true, protocolVersion: 5, reconnectPeriod: 0 })).endAsync();
    await database?.drop();
  });

  it('answers each message with "echo: …" on its conversation\'s topic, in order per conversation', async () => {
    for (let i = 1; i <= 5; i += 1) {
      // Conversation a: taken from the topic's wildcard. Conversation b: named in the payload.
      await publish('a/in', message(`a${i}`, `a${i}`));
      await publish('kiosk-9/in', message(`b${i}`, `b${i}`, { conversationId: 'b' }));
    }
    await waitFor(() => repliesOn('a').length === 5 && repliesOn('b').length === 5, 20_000, 'ten replies');
    expect(repliesOn('a').map((r) => r.body.text)).toEqual(['echo: a1', 'echo: a2', 'echo: a3', 'echo: a4', 'echo: a5']);
    expect(repliesOn('b').map((r) => r.body.text)).toEqual(['echo: b1', 'echo: b2', 'echo: b3', 'echo: b4', 'echo: b5']);
    expect(repliesOn('a')[0]?.body).toMatchObject({ conversationId: 'a', to: 'device-7', inReplyTo: `${prefix}-a1` });
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(replies.length);
  });

  it('answers a publication delivered twice once', async () => {
    await publish('dup/in', message('dup', 'once'));
    await publish('dup/in', message('dup', 'once'));
    await waitFor(() => repliesOn('dup').length === 1, 10_000, 'the reply');
    await new Promise((r) => setTimeout(r, 500));
    expect(repliesOn('dup').map((r) => r.body.text)).toEqual(['echo: once']);
  });

  it('drops invalid payloads with the reason, and answers the messages after them', async () => {
    await publish('bad/in', '{"id": "x", ');
    await publish('bad/in', { id: `${prefix}-nobody`, text: 'no sender' });
    await publish('bad/in', message('after', 'still here'));
    await waitFor(() => repliesOn('bad').length === 1, 10_000, 'the reply to the valid message');
    expect(repliesOn('bad')[0]?.body.text).toBe('echo: still here');
    const rejected = logs.filter((l) => l.msg === 'rejected an MQTT message').map((l) => l.reason);
    expect(rejected).toEqual(['malformed_body', 'invalid_body']);
    const metrics = await (await fetch(`${runner?.url}/metrics`)).text();
    expect(metrics).toMatch(/^signalbox_events_rejected_total\{reason="malformed_body"\} 1$/m);
    expect(metrics).toMatch(/^signalbox_events_rejected_total\{reason="invalid_body"\} 1$/m);
    expect(metrics).toMatch(/^signalbox_events_accepted_total\{channel_type="mqtt"\} [1-9]/m);
    expect(metrics).toMatch(/^signalbox_messages_sent_total\{channel_type="mqtt"\} [1-9]/m);
  });

  it('answers messages published while the runner was stopped, once it is back (persistent session)', async () => {
    await runner?.stop();
    runner = null;
    for (let i = 1; i <= 3; i += 1) await publish('offline/in', message(`offline${i}`, `while down ${i}`));
    await new Promise((r) => setTimeout(r, 300));
    expect(repliesOn('offline')).toEqual([]);
    await start();
    await waitFor(() => repliesOn('offline').length === 3, 20_000, 'three replies after the restart');
    expect(repliesOn('offline').map((r) => r.body.text)).toEqual(['echo: while down 1', 'echo: while down 2', 'echo: while down 3']);
  });
});
