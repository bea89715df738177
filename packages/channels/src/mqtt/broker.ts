import { randomBytes } from 'node:crypto';
import type * as MqttLibrary from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { DeliveryResult } from '../delivery.ts';
import type { BrokerLogin, MqttQos } from './config.ts';
import type { MqttPublication } from './normalize.ts';
import type { MqttReply } from './render.ts';

/**
 * The connections to a channel's broker (mqtt.js, MQTT 5): one subscription that stores each publication before
 * acknowledging it, and publishers that report a reply sent only once the broker has acknowledged it.
 * Protocol only: what "store" means (normalize, dedupe, queue) and where notes are logged is the runner's.
 */

/** What a connection went through, for logs and the channel's health. */
export type BrokerNote =
  | { type: 'connected'; clientId: string; sessionPresent: boolean }
  | { type: 'subscribed'; filter: string; qos: number }
  /** The connection is down; mqtt.js tries again in `retryInMs` (the backoff below). */
  | { type: 'offline'; clientId: string; reason: string; retryInMs: number }
  | { type: 'error'; message: string }
  /** Storing a publication failed (the database is down): it is tried again, and acknowledged only once stored. */
  | { type: 'store-failed'; message: string; retryInMs: number };

/**
 * How long the broker keeps the subscription's session, with the publications that arrive for it, while no
 * runner is connected. MQTT 5 ends a session at disconnect unless this is set; a week covers a long outage
 * without keeping the queue of a deleted channel forever.
 */
export const SESSION_EXPIRY_SECONDS = 7 * 24 * 60 * 60;

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
const CONNACK_TIMEOUT_MS = 10_000;
/** How long a send waits for a connection before it gives the sender a retry. */
const CONNECT_WAIT_MS = 5_000;
/** PUBACK reason code "Payload format invalid": the broker drops the publication instead of redelivering it. */
const PAYLOAD_FORMAT_INVALID = 0x99;

/** mqtt.js takes most of a second to load: only processes that run an MQTT channel pay for it. */
let library: Promise<typeof MqttLibrary> | null = null;
async function connect(url: string, options: IClientOptions): Promise<MqttClient> {
  library ??= import('mqtt');
  return (await library).connect(url, options);
}

/** Doubling delays from 1 s to 30 s, with a fifth of jitter so many channels do not reconnect in step. */
function backoffDelay(attempt: number): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.2));
}

function optionsOf(login: BrokerLogin, clientId: string): IClientOptions {
  return {
    clientId,
    protocolVersion: 5,
    username: login.username,
    password: login.password,
    connectTimeout: CONNACK_TIMEOUT_MS,
    reconnectPeriod: FIRST_RETRY_MS,
    // A refused login (a password being rotated, a broker starting up) is retried like a lost connection.
    reconnectOnConnackError: true,
  };
}

/**
 * mqtt.js reconnects after a fixed period; this stretches the period between failed attempts (1 s, 2 s, 4 s …
 * 30 s) and reports every loss with the delay before the next attempt.
 */
function reconnectWithBackoff(client: MqttClient, note: (note: BrokerNote) => void): void {
  let attempt = 0;
  let lastError: string | null = null;
  client.on('error', (error) => {
    lastError = error.message;
  });
  // Emitted as an attempt starts; the period set here is the wait before the next one, should this one fail.
  client.on('reconnect', () => {
    attempt += 1;
    client.options.reconnectPeriod = backoffDelay(attempt + 1);
  });
  client.on('connect', () => {
    attempt = 0;
    lastError = null;
    client.options.reconnectPeriod = FIRST_RETRY_MS;
  });
  // Listeners run in order: mqtt.js has scheduled the next attempt with the current period by now.
  client.on('close', () => {
    if (client.disconnecting) return;
    note({ type: 'offline', clientId: client.options.clientId ?? '', reason: lastError ?? 'connection closed', retryInMs: client.options.reconnectPeriod ?? FIRST_RETRY_MS });
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

export interface SubscriptionOptions {
  login: BrokerLogin;
  filter: string;
  qos: MqttQos;
  /** Filters an earlier configuration subscribed the same session to: unsubscribed once connected. */
  staleFilters?: readonly string[];
  /**
   * Stores one publication. Resolves `refused` for a payload that will never be taken (it is acknowledged and
   * dropped); throws when storing failed, and the publication is tried again until it is stored.
   */
  store(publication: MqttPublication): Promise<'stored' | 'refused'>;
  note(note: BrokerNote): void;
}

/**
 * A persistent session (clean start off, a stable client id, a session expiry) subscribed to the channel's
 * filter: publications that arrive while the runner is down wait on the broker. Each publication is
 * acknowledged (PUBACK at QoS 1, PUBREC at QoS 2) only after `store` resolved, so one whose acknowledgement never
 * left is delivered again, after a crash too. mqtt.js hands over one publication at a time, so they are stored
 * in the order the broker sent them.
 */
export class MqttSubscription {
  private readonly stopping = new AbortController();
  /** Publications being stored; usually one, more only when a connection was replaced while one was. */
  private readonly inFlight = new Set<Promise<void>>();
  private staleFilters: readonly string[];

  /** Connects (and keeps reconnecting) in the background; the notes tell how it goes. */
  static async open(options: SubscriptionOptions): Promise<MqttSubscription> {
    let subscription: MqttSubscription | null = null;
    const client = await connect(options.login.brokerUrl, {
      ...optionsOf(options.login, options.login.clientId),
      clean: false,
      properties: { sessionExpiryInterval: SESSION_EXPIRY_SECONDS },
      // Subscribed again on every connect below (a broker that lost the session lost the subscription too).
      resubscribe: false,
      // QoS 1 and 2: runs before the acknowledgement, which carries the code it answers. The socket is read
      // from the next tick on, when `subscription` is set.
      customHandleAcks: (topic, payload, _packet, acknowledge) => subscription?.take({ topic, payload }, acknowledge),
    });
    subscription = new MqttSubscription(options, client);
    return subscription;
  }

  private constructor(
    private readonly options: SubscriptionOptions,
    private readonly client: MqttClient,
  ) {
    this.staleFilters = options.staleFilters ?? [];
    // QoS 0 has no acknowledgement: mqtt.js calls handleMessage alone, and waits for it before the next message.
    const handled = this.client.handleMessage.bind(this.client);
    this.client.handleMessage = (packet, done) => {
      if (packet.qos !== 0) return handled(packet, done);
      this.take({ topic: packet.topic, payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload) }, () => done());
    };
    reconnectWithBackoff(this.client, options.note);
    this.client.on('connect', (connack) => {
      options.note({ type: 'connected', clientId: options.login.clientId, sessionPresent: connack.sessionPresent });
      void this.subscribe();
    });
  }

  private take(publication: MqttPublication, acknowledge: (error: Error | number, code?: number) => void): void {
    const work = async () => {
      const outcome = await this.storeUntilDone(publication);
      // Closing before it was stored: no acknowledgement, so the broker delivers it again to the next session.
      if (outcome === 'closing') return;
      try {
        acknowledge(outcome === 'stored' ? 0 : PAYLOAD_FORMAT_INVALID);
      } catch (error) {
        this.options.note({ type: 'error', message: `acknowledging a publication failed: ${(error as Error).message}` });
      }
    };
    const running = work();
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running));
  }

  private async storeUntilDone(publication: MqttPublication): Promise<'stored' | 'refused' | 'closing'> {
    for (let attempt = 1; ; attempt += 1) {
      if (this.stopping.signal.aborted) return 'closing';
      try {
        return await this.options.store(publication);
      } catch (error) {
        if (this.stopping.signal.aborted) return 'closing';
        const wait = backoffDelay(attempt);
        this.options.note({ type: 'store-failed', message: (error as Error).message, retryInMs: wait });
        await sleep(wait, this.stopping.signal);
      }
    }
  }

  private async subscribe(): Promise<void> {
    const { filter, qos, note } = this.options;
    try {
      // rh 1: retained publications only for a new subscription, not again on every reconnect.
      const [granted] = await this.client.subscribeAsync({ [filter]: { qos, rh: 1 } });
      if (!granted || granted.qos >= 0x80) {
        note({ type: 'error', message: `the broker refused the subscription to "${filter}" (reason code ${granted?.qos ?? 'none'})` });
        return;
      }
      note({ type: 'subscribed', filter, qos: granted.qos });
      if (this.staleFilters.length > 0) {
        await this.client.unsubscribeAsync([...this.staleFilters]);
        this.staleFilters = [];
      }
    } catch (error) {
      // The connection dropped meanwhile; the next connect subscribes again.
      if (!this.client.disconnecting) note({ type: 'error', message: `subscribing to "${filter}" failed: ${(error as Error).message}` });
    }
  }

  /**
   * Finishes the publication being stored (acknowledging it when it was), then disconnects. The session stays
   * on the broker, collecting publications for the next start.
   */
  async close(): Promise<void> {
    this.stopping.abort();
    await Promise.race([Promise.all(this.inFlight), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    await endClient(this.client);
  }
}

/** A clean DISCONNECT when the broker answers within 2 s; otherwise the socket is dropped. */
async function endClient(client: MqttClient): Promise<void> {
  if (!client.connected) {
    await client.endAsync(true);
    return;
  }
  const ended = client.endAsync().then(() => true);
  if (!(await Promise.race([ended, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000).unref())]))) await client.endAsync(true);
}

/** PUBACK / PUBREC reason codes that will not change on a retry. */
const PERMANENT_REASONS = new Set([0x87 /* not authorized */, 0x90 /* topic name invalid */, 0x95 /* packet too large */, 0x99 /* payload format invalid */]);

function classifyPublishError(error: Error & { code?: unknown }): DeliveryResult {
  const code = typeof error.code === 'number' ? error.code : null;
  return { ok: false, retry: code === null || !PERMANENT_REASONS.has(code), error: `the broker did not take the reply: ${error.message}` };
}

function waitForConnect(client: MqttClient, timeoutMs: number): Promise<boolean> {
  if (client.connected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (connected: boolean) => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      resolve(connected);
    };
    const onConnect = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('connect', onConnect);
  });
}

interface Publisher {
  key: string;
  client: MqttClient;
  lastError: string | null;
}

/**
 * One publishing connection per channel, opened on the first reply and kept. Publishers use clean sessions
 * with their own client ids (`<client id>-out-<random>`), so a sender process never takes over the
 * subscription's session, and several senders never take over each other's.
 */
export class MqttPublishers {
  private readonly publishers = new Map<string, Publisher>();
  private closed = false;

  constructor(private readonly note: (channelId: string, note: BrokerNote) => void = () => undefined) {}

  private async publisherFor(channelId: string, login: BrokerLogin): Promise<Publisher> {
    const key = JSON.stringify([login.brokerUrl, login.clientId, login.username ?? null, login.password ?? null]);
    const existing = this.publishers.get(channelId);
    if (existing?.key === key) return existing;
    if (existing) this.drop(channelId, existing);
    const client = await connect(login.brokerUrl, { ...optionsOf(login, `${login.clientId}-out-${randomBytes(4).toString('hex')}`), clean: true });
    // Two sends that both found no publisher: the first one's stays.
    const raced = this.publishers.get(channelId);
    if (raced?.key === key) {
      client.end(true);
      return raced;
    }
    if (raced) this.drop(channelId, raced);
    const publisher: Publisher = { key, client, lastError: null };
    client.on('error', (error) => {
      publisher.lastError = error.message;
    });
    client.on('connect', () => {
      publisher.lastError = null;
    });
    reconnectWithBackoff(client, (note) => this.note(channelId, note));
    this.publishers.set(channelId, publisher);
    return publisher;
  }

  private drop(channelId: string, publisher: Publisher): void {
    if (this.publishers.get(channelId) === publisher) this.publishers.delete(channelId);
    publisher.client.end(true);
  }

  /**
   * Publishes a reply and resolves once the broker acknowledged it (PUBACK at QoS 1, PUBCOMP at QoS 2; at QoS 0
   * once written). A broker that cannot be reached, or that does not acknowledge in time, is a retry.
   */
  async publish(channelId: string, login: BrokerLogin, reply: MqttReply, qos: MqttQos, timeoutMs = 10_000): Promise<DeliveryResult> {
    // A send still running as the process stops must not open a connection nobody closes.
    if (this.closed) return { ok: false, retry: true, error: 'the runner is shutting down' };
    const publisher = await this.publisherFor(channelId, login);
    if (this.closed) {
      this.drop(channelId, publisher);
      return { ok: false, retry: true, error: 'the runner is shutting down' };
    }
    if (!(await waitForConnect(publisher.client, Math.min(CONNECT_WAIT_MS, timeoutMs)))) {
      return { ok: false, retry: true, error: `broker ${login.brokerUrl} unreachable: ${publisher.lastError ?? 'no connection yet'}` };
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // A connection that swallows publications is not trusted again; dropping it also keeps mqtt.js from
        // resending this one on its own after the sender has already scheduled a retry.
        this.drop(channelId, publisher);
        resolve({
          ok: false,
          retry: true,
          error: `no acknowledgement from ${login.brokerUrl} within ${timeoutMs} ms; the reply may have arrived (its id lets subscribers drop the repeat)`,
        });
      }, timeoutMs);
      publisher.client.publish(reply.topic, reply.payload, { qos }, (error) => {
        clearTimeout(timer);
        resolve(error ? classifyPublishError(error) : { ok: true, externalId: null });
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.publishers.values()];
    this.publishers.clear();
    await Promise.all(all.map((p) => endClient(p.client)));
  }
}
