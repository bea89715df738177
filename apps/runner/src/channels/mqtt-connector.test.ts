import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelRepository, createPool, createPrisma, createWorkspace, InboundLog, migrate, SecretBox, type Pool, type PrismaClient } from '@signalbox/db';
import { createMetrics } from '../metrics.ts';
import { InProcessQueue } from '../queue/in-process.ts';
import { UNIFIED } from '../queue/topology.ts';
import { freshDatabase, waitFor } from '../testing/harness.ts';
import { ChannelHealthLog } from './channel-health.ts';
import { MqttConnector } from './mqtt-connector.ts';

/**
 * The connector follows the channel table, against the real Postgres and the Mosquitto broker every
 * development and CI machine runs (TEST_MQTT_URL); fails without them. Settings change as the web app changes
 * them (ChannelRepository.update); the refresh runs every 200 ms here.
 */
const BROKER_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const prefix = `sbx-test/${process.pid}-${randomBytes(4).toString('hex')}`;

describe('MqttConnector', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: Pool;
  let customer: MqttClient;
  let prisma: PrismaClient;
  let channels: ChannelRepository;
  let workspaceId: string;
  let channelId: string;
  let connector: MqttConnector;
  const queue = new InProcessQueue();
  const logs: { msg?: string; channelId?: string; error?: string }[] = [];
  const config = { brokerUrl: BROKER_URL, inboundTopic: `${prefix}/first/+`, outboundTopic: `${prefix}/{conversationId}/out` };
  const change = (update: { enabled?: boolean; config?: Record<string, unknown> }) => channels.update(workspaceId, channelId, update);
  const stored = async () =>
    (await pool.query<{ external_id: string }>('SELECT external_id FROM inbound_event WHERE channel_id = $1 ORDER BY id', [channelId])).rows.map((r) => r.external_id);
  const publish = (topic: string, id: string) => customer.publishAsync(`${prefix}/${topic}`, JSON.stringify({ id, from: { id: 'u' }, text: id }), { qos: 1 });
  const subscribedSince = (since: number) => logs.slice(since).some((l) => l.msg === 'MQTT subscribed' && l.channelId === channelId);

  beforeAll(async () => {
    customer = await connectAsync(BROKER_URL, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5_000 });
    database = await freshDatabase();
    pool = createPool(database.url, 4);
    await migrate(pool);
    prisma = createPrisma(database.url);
    channels = new ChannelRepository(prisma, new SecretBox('test-secret-key-0123456789'));
    workspaceId = await createWorkspace(prisma, 'Test shop');
    channelId = (await channels.create({ workspaceId, type: 'mqtt', name: 'Kiosks', config })).id;
    await change({ enabled: false });
    const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as (typeof logs)[number]) });
    const metrics = createMetrics(() => Promise.resolve({ inbound: 0, outbox: 0, timers: 0 }));
    connector = new MqttConnector({
      repository: channels,
      accept: { inbound: new InboundLog(pool), queue, topology: UNIFIED, metrics, log },
      health: new ChannelHealthLog(pool, log),
      log,
      refreshMs: 200,
    });
    await connector.start();
  });

  afterAll(async () => {
    await connector?.stop();
    await queue.close();
    await customer?.endAsync();
    if (channelId) await (await connectAsync(BROKER_URL, { clientId: `signalbox-${channelId}`, clean: true, protocolVersion: 5, reconnectPeriod: 0 })).endAsync();
    await prisma?.$disconnect();
    await pool?.end();
    await database?.drop();
  });

  it('subscribes a channel once it is enabled, within the refresh period', async () => {
    expect(logs.some((l) => l.msg === 'MQTT subscribed')).toBe(false);
    const since = logs.length;
    await change({ enabled: true });
    await waitFor(() => subscribedSince(since), 5_000, 'the subscription');
    await publish('first/c-1', 'm1');
    await waitFor(async () => (await stored()).length === 1, 5_000, 'the stored event');
  });

  it('stops reading a disabled channel; what arrives meanwhile waits on the broker until it is enabled again', async () => {
    await change({ enabled: false });
    await waitFor(() => logs.some((l) => l.msg === 'MQTT channel stopped' && l.channelId === channelId), 5_000, 'the subscription to close');
    await publish('first/c-1', 'm2');
    await new Promise((r) => setTimeout(r, 500));
    expect(await stored()).toEqual(['m1']);
    await change({ enabled: true });
    await waitFor(async () => (await stored()).length === 2, 5_000, 'the message from while it was disabled');
    expect(await stored()).toEqual(['m1', 'm2']);
  });

  it('reconnects with changed settings and leaves the old filter', async () => {
    const since = logs.length;
    await change({ config: { ...config, inboundTopic: `${prefix}/second/+` } });
    await waitFor(() => subscribedSince(since), 5_000, 'the new subscription');
    await new Promise((r) => setTimeout(r, 200));
    await publish('first/c-1', 'old-topic');
    await publish('second/c-1', 'new-topic');
    await waitFor(async () => (await stored()).length === 3, 5_000, 'the event on the new topic');
    await new Promise((r) => setTimeout(r, 300));
    expect(await stored()).toEqual(['m1', 'm2', 'new-topic']);
    // Unsubscribed, not merely refused as a foreign topic: the broker did not deliver it at all.
    expect(logs.filter((l) => l.msg === 'rejected an MQTT message')).toEqual([]);
  });

  it('reports invalid settings once and runs nothing for them', async () => {
    const since = logs.length;
    await change({ config: { ...config, inboundTopic: 'shop/#/in' } });
    await waitFor(() => logs.slice(since).some((l) => l.msg === 'MQTT channel stopped'), 5_000, 'the channel to stop');
    await new Promise((r) => setTimeout(r, 600));
    const reports = logs.filter((l) => l.msg === 'MQTT channel not started');
    expect(reports).toHaveLength(1);
    expect(reports[0]?.error).toContain('inboundTopic');
  });
});
