import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import {
  MqttPublishers,
  MqttSubscription,
  mqttSettingsOf,
  normalizeMqtt,
  qosOf,
  renderMqtt,
  type BrokerLogin,
  type BrokerNote,
  type DeliveryResult,
  type MqttConfig,
  type MqttPublication,
} from '@signalbox/channels';
import type { ChannelRecord, ChannelRepository } from '@signalbox/db';
import type { OutboundMessage } from '@signalbox/nodes';
import { acceptEvents, type AcceptDeps } from '../ingress/accept.ts';
import type { ChannelHealthLog } from './channel-health.ts';

/** How often the channel list is read again: a new, changed or disabled MQTT channel takes effect within it. */
const REFRESH_MS = 10_000;

export interface MqttConnectorDeps {
  repository: Pick<ChannelRepository, 'list' | 'get'>;
  /** Where publications go in: the same path as every webhook (`acceptEvents`). */
  accept: AcceptDeps;
  health: ChannelHealthLog;
  log: Logger;
  refreshMs?: number;
}

interface Running {
  fingerprint: string;
  clientId: string;
  filter: string;
  subscription: MqttSubscription;
}

/**
 * MQTT channels have no webhook: the runner goes to the broker. In a process with the ingress role, one
 * subscription per enabled `mqtt` channel (a persistent session, see MqttSubscription) feeds every publication
 * through normalize -> acceptEvents, and acknowledges it once stored. Publications that are not messages are
 * logged, counted (`signalbox_events_rejected_total{reason}`) and dropped; they never stop the ones after them.
 *
 * `publishers` sends replies for `deliverMqtt`, in whichever process runs the sender; `stop` closes both.
 */
export class MqttConnector {
  readonly publishers: MqttPublishers;
  private readonly running = new Map<string, Running>();
  /** The settings error last reported per channel, so a broken channel is reported once, not every refresh. */
  private readonly refused = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly deps: MqttConnectorDeps) {
    this.publishers = new MqttPublishers((channelId, note) => this.note(channelId, note));
  }

  /** Opens the subscriptions of the channels enabled now, then follows changes every REFRESH_MS. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.stopped) return;
    this.timer = setInterval(() => void this.refresh(), this.deps.refreshMs ?? REFRESH_MS);
    this.timer.unref();
  }

  /** Reads the channels and opens, reopens or closes subscriptions to match. Never throws. */
  refresh(): Promise<void> {
    this.refreshing ??= this.reconcile()
      .catch((error: unknown) => this.deps.log.warn({ err: error }, 'could not read the MQTT channels; trying again at the next refresh'))
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private async reconcile(): Promise<void> {
    const { repository, log, health } = this.deps;
    const wanted = (await repository.list()).filter((c) => c.type === 'mqtt' && c.enabled);
    const ids = new Set(wanted.map((c) => c.id));
    for (const id of this.running.keys()) if (!ids.has(id)) await this.close(id, 'the channel was disabled or deleted');
    for (const { id } of wanted) {
      if (this.stopped) return;
      let channel: ChannelRecord | null;
      try {
        channel = await repository.get(id);
      } catch (error) {
        // A secret the key cannot open: the running subscription (if any) keeps its last good settings.
        log.warn({ err: error, channelId: id }, 'could not read an MQTT channel');
        continue;
      }
      if (!channel?.enabled) {
        await this.close(id, 'the channel was disabled or deleted');
        continue;
      }
      const settings = mqttSettingsOf(channel);
      if (!settings.ok) {
        await this.close(id, 'its settings are invalid');
        if (this.refused.get(id) !== settings.error) {
          this.refused.set(id, settings.error);
          log.error({ channelId: id, error: settings.error }, 'MQTT channel not started');
          health.error(id, settings.error);
        }
        continue;
      }
      this.refused.delete(id);
      await this.open(channel, settings.config, settings.login);
    }
  }

  private async open(channel: ChannelRecord, config: MqttConfig, login: BrokerLogin): Promise<void> {
    // A hash, so the settings (with the password) are not kept twice in memory.
    const fingerprint = createHash('sha256').update(JSON.stringify([config, login])).digest('hex');
    const existing = this.running.get(channel.id);
    if (existing?.fingerprint === fingerprint) return;
    if (existing) await this.close(channel.id, 'its settings changed');
    // The broker keeps a persistent session's subscriptions: a filter the channel no longer uses is removed.
    const staleFilters = existing && existing.clientId === login.clientId && existing.filter !== config.inboundTopic ? [existing.filter] : [];
    const subscription = await MqttSubscription.open({
      login,
      filter: config.inboundTopic,
      qos: qosOf(config),
      staleFilters,
      store: (publication) => this.store(channel, config, publication),
      note: (note) => this.note(channel.id, note),
    });
    if (this.stopped) {
      await subscription.close();
      return;
    }
    this.running.set(channel.id, { fingerprint, clientId: login.clientId, filter: config.inboundTopic, subscription });
    this.deps.log.info({ channelId: channel.id, broker: login.brokerUrl, clientId: login.clientId, topic: config.inboundTopic }, 'MQTT channel started');
  }

  private async close(channelId: string, why: string): Promise<void> {
    const running = this.running.get(channelId);
    if (!running) return;
    this.running.delete(channelId);
    await running.subscription.close();
    this.deps.log.info({ channelId, why }, 'MQTT channel stopped');
  }

  private async store(channel: ChannelRecord, config: MqttConfig, publication: MqttPublication): Promise<'stored' | 'refused'> {
    const { accept, health, log } = this.deps;
    const normalized = normalizeMqtt(publication, config.inboundTopic);
    if (!normalized.ok) {
      accept.metrics.rejected.inc({ reason: normalized.error });
      const issues = normalized.issues.map((i) => `${i.path} ${i.message}`).join('; ');
      health.error(channel.id, `rejected a message on ${publication.topic}: ${issues}`);
      log.warn({ channelId: channel.id, topic: publication.topic, reason: normalized.error, issues: normalized.issues }, 'rejected an MQTT message');
      return 'refused';
    }
    await acceptEvents(accept, { id: channel.id, type: channel.type }, [normalized.event]);
    health.event(channel.id);
    return 'stored';
  }

  private note(channelId: string, note: BrokerNote): void {
    const { log, health } = this.deps;
    switch (note.type) {
      case 'connected':
        log.info({ channelId, clientId: note.clientId, sessionPresent: note.sessionPresent }, 'MQTT connected');
        return;
      case 'subscribed':
        log.info({ channelId, topic: note.filter, qos: note.qos }, 'MQTT subscribed');
        return;
      case 'offline':
        log.warn({ channelId, clientId: note.clientId, reason: note.reason, retryInMs: note.retryInMs }, 'MQTT connection lost; reconnecting');
        health.error(channelId, `broker connection lost: ${note.reason}`);
        return;
      case 'error':
        log.warn({ channelId, error: note.message }, 'MQTT error');
        health.error(channelId, note.message);
        return;
      case 'store-failed':
        log.error({ channelId, error: note.message, retryInMs: note.retryInMs }, 'could not store an MQTT message; it stays unacknowledged and is tried again');
        return;
      default: {
        const unknown: never = note;
        throw new Error(`unknown MQTT note ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** Closes every subscription (each after the publication it is storing) and every publisher. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.refreshing;
    await Promise.all([...this.running.keys()].map((id) => this.close(id, 'the runner is stopping')));
    await this.publishers.close();
  }
}

/**
 * Publishes one reply to the channel's outbound topic and reports it sent once the broker acknowledged it.
 * The body's `id` is the outbox row id, the same on every retry.
 */
export function deliverMqtt(
  publishers: MqttPublishers,
  channel: ChannelRecord,
  reply: { thread: string; to: string | null; inReplyTo: string | null; message: OutboundMessage },
  idempotencyKey: string,
): Promise<DeliveryResult> {
  const settings = mqttSettingsOf(channel);
  if (!settings.ok) return Promise.resolve({ ok: false, retry: false, error: settings.error });
  const rendered = renderMqtt({
    outboundTopic: settings.config.outboundTopic,
    id: idempotencyKey,
    conversationId: reply.thread,
    to: reply.to ?? reply.thread,
    inReplyTo: reply.inReplyTo,
    message: reply.message,
  });
  if (!rendered.ok) return Promise.resolve({ ok: false, retry: false, error: rendered.error });
  return publishers.publish(channel.id, settings.login, rendered.reply, qosOf(settings.config));
}
