import { randomBytes } from 'node:crypto';
import { connect as tcpConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttPublishers, MqttSubscription, type BrokerNote } from './broker.ts';
import type { MqttPublication } from './normalize.ts';

/**
 * Against the Mosquitto broker every development and CI machine runs (TEST_MQTT_URL, default
 * mqtt://127.0.0.1:1883). Without it these tests fail, never skip. Topics and client ids are unique per run.
 */
const BROKER_URL = process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const broker = new URL(BROKER_URL);
const run = `sbx-test/${process.pid}-${randomBytes(4).toString('hex')}`;
const clientIds: string[] = [];

function clientId(name: string): string {
  const id = `sbx-${process.pid}-${randomBytes(4).toString('hex')}-${name}`;
  clientIds.push(id);
  return id;
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A TCP pass-through to the broker that can be cut and restored, to play a broker outage. */
async function brokerProxy() {
  const sockets = new Set<Socket>();
  let server: Server;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = tcpConnect(Number(broker.port || 1883), broker.hostname);
        const drop = () => {
          client.destroy();
          upstream.destroy();
        };
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', drop);
          socket.on('close', () => {
            sockets.delete(socket);
            drop();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  const port = await listen(0);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    cut: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    restore: () => listen(port),
  };
}

describe('MQTT broker connections (real Mosquitto)', () => {
  let customer: MqttClient;

  beforeAll(async () => {
    customer = await connectAsync(BROKER_URL, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5_000 });
  });

  afterAll(async () => {
    await customer?.endAsync();
    // Persistent sessions outlive the test: end each one (clean start, no expiry) so the broker forgets it.
    for (const id of clientIds) {
      const client = await connectAsync(BROKER_URL, { clientId: id, clean: true, protocolVersion: 5, reconnectPeriod: 0 });
      await client.endAsync();
    }
  });

  it('publishes a reply and reports it sent once the broker acknowledged it', async () => {
    const topic = `${run}/replies/c-1/out`;
    const received: string[] = [];
    customer.on('message', (t, payload) => {
      if (t === topic) received.push(payload.toString());
    });
    await customer.subscribeAsync(topic, { qos: 1 });
    const publishers = new MqttPublishers();
    const result = await publishers.publish('ch-1', { brokerUrl: BROKER_URL, clientId: clientId('pub') }, { topic, payload: '{"text":"echo: hola"}' }, 1);
    expect(result).toEqual({ ok: true, externalId: null });
    await waitFor(() => received.length === 1, 5_000, 'the reply');
    expect(received).toEqual(['{"text":"echo: hola"}']);
    await publishers.close();
    expect(await publishers.publish('ch-1', { brokerUrl: BROKER_URL, clientId: clientId('pub') }, { topic, payload: '{}' }, 1)).toMatchObject({ ok: false, retry: true });
  });

  it('reports a broker it cannot reach as a retry', async () => {
    const proxy = await brokerProxy();
    await proxy.cut();
    const publishers = new MqttPublishers();
    const started = Date.now();
    const result = await publishers.publish('ch-2', { brokerUrl: proxy.url, clientId: clientId('pub') }, { topic: `${run}/x`, payload: '{}' }, 1);
    expect(result).toMatchObject({ ok: false, retry: true });
    expect(!result.ok && result.error).toContain('unreachable');
    expect(Date.now() - started).toBeLessThan(8_000);
    await publishers.close();
  });

  it('acknowledges a publication only once stored: a failed store is tried again, and order holds', async () => {
    const filter = `${run}/store/+/in`;
    const stored: string[] = [];
    const notes: BrokerNote[] = [];
    let failures = 1;
    const subscription = await MqttSubscription.open({
      login: { brokerUrl: BROKER_URL, clientId: clientId('sub') },
      filter,
      qos: 1,
      store: (p: MqttPublication) => {
        if (failures-- > 0) return Promise.reject(new Error('database unavailable'));
        stored.push(p.payload.toString());
        return Promise.resolve('stored');
      },
      note: (n) => notes.push(n),
    });
    await waitFor(() => notes.some((n) => n.type === 'subscribed'), 5_000, 'the subscription');
    for (const text of ['m1', 'm2', 'm3']) await customer.publishAsync(`${run}/store/c-1/in`, text, { qos: 1 });
    await waitFor(() => stored.length === 3, 8_000, 'three stored publications');
    expect(stored).toEqual(['m1', 'm2', 'm3']);
    expect(notes).toContainEqual(expect.objectContaining({ type: 'store-failed', message: 'database unavailable' }));
    await subscription.close();
  });

  it('leaves a publication it could not store on the broker for the next session, and drops one it refused', async () => {
    const filter = `${run}/restart/+/in`;
    const login = { brokerUrl: BROKER_URL, clientId: clientId('sub') };
    const seen: string[] = [];
    let abandon: ((error: Error) => void) | null = null;
    const notes: BrokerNote[] = [];
    const first = await MqttSubscription.open({
      login,
      filter,
      qos: 1,
      store: (p) => {
        const text = p.payload.toString();
        seen.push(text);
        if (text === 'bad') return Promise.resolve('refused');
        // The database goes away while this one is being stored.
        return new Promise((_, reject) => {
          abandon = reject;
        });
      },
      note: (n) => notes.push(n),
    });
    await waitFor(() => notes.some((n) => n.type === 'subscribed'), 5_000, 'the subscription');
    await customer.publishAsync(`${run}/restart/c-1/in`, 'bad', { qos: 1 });
    await customer.publishAsync(`${run}/restart/c-1/in`, 'good', { qos: 1 });
    await waitFor(() => abandon !== null, 5_000, 'the second publication');
    const closing = first.close();
    abandon!(new Error('database closed'));
    await closing;
    expect(seen).toEqual(['bad', 'good']);

    const stored: string[] = [];
    const second = await MqttSubscription.open({ login, filter, qos: 1, store: (p) => (stored.push(p.payload.toString()), Promise.resolve('stored')), note: () => undefined });
    await waitFor(() => stored.length === 1, 5_000, 'the redelivered publication');
    await new Promise((r) => setTimeout(r, 300));
    expect(stored).toEqual(['good']);
    await second.close();
  });

  it.each([0, 2] as const)('stores publications at QoS %i too, and publishes replies at it', async (qos) => {
    const filter = `${run}/qos${qos}/+/in`;
    const notes: BrokerNote[] = [];
    const stored: string[] = [];
    const subscription = await MqttSubscription.open({
      login: { brokerUrl: BROKER_URL, clientId: clientId(`qos${qos}`) },
      filter,
      qos,
      store: (p) => (stored.push(`${p.topic} ${p.payload.toString()}`), Promise.resolve('stored')),
      note: (n) => notes.push(n),
    });
    await waitFor(() => notes.some((n) => n.type === 'subscribed'), 5_000, 'the subscription');
    expect(notes.find((n) => n.type === 'subscribed')).toMatchObject({ qos });
    const publishers = new MqttPublishers();
    const result = await publishers.publish('ch-qos', { brokerUrl: BROKER_URL, clientId: clientId('pub') }, { topic: `${run}/qos${qos}/c-1/in`, payload: 'hi' }, qos);
    expect(result).toEqual({ ok: true, externalId: null });
    await waitFor(() => stored.length === 1, 5_000, 'the stored publication');
    await new Promise((r) => setTimeout(r, 200));
    expect(stored).toEqual([`${run}/qos${qos}/c-1/in hi`]);
    await publishers.close();
    await subscription.close();
  });

  it('reconnects with growing delays after losing the broker, and gets what was published meanwhile', async () => {
    const proxy = await brokerProxy();
    const filter = `${run}/outage/+/in`;
    const notes: BrokerNote[] = [];
    const stored: string[] = [];
    const subscription = await MqttSubscription.open({
      login: { brokerUrl: proxy.url, clientId: clientId('sub') },
      filter,
      qos: 1,
      store: (p) => (stored.push(p.payload.toString()), Promise.resolve('stored')),
      note: (n) => notes.push(n),
    });
    await waitFor(() => notes.some((n) => n.type === 'subscribed'), 5_000, 'the subscription');
    await proxy.cut();
    await customer.publishAsync(`${run}/outage/c-1/in`, 'during the outage', { qos: 1 });
    await waitFor(() => notes.filter((n) => n.type === 'offline').length >= 3, 10_000, 'three failed attempts');
    await proxy.restore();
    await waitFor(() => stored.length === 1, 20_000, 'the publication from the outage');
    expect(stored).toEqual(['during the outage']);
    const delays = notes.flatMap((n) => (n.type === 'offline' ? [n.retryInMs] : []));
    expect(delays[0]).toBe(1_000);
    expect(delays[1]).toBeGreaterThanOrEqual(1_600);
    expect(delays[2]).toBeGreaterThanOrEqual(3_200);
    expect(notes.filter((n) => n.type === 'connected').at(-1)).toMatchObject({ sessionPresent: true });
    await subscription.close();
  });
});
