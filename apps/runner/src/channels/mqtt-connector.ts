import type { Logger } from 'pino';
import {
  MqttPublishers,
  MqttSubscription,
  mqttSettingsOf,
  normalizeMqtt,
  qosOf,
  renderMqtt,
  type BrokerNote,
  type DeliveryResult,
  type MqttConfig,
  type MqttPublication,
  type MqttSettings,
} from '@signalbox/channels';
import type { ChannelRecord, ChannelRepository } from '@signalbox/db';
import type { OutboundMessage } from '@signalbox/nodes';
import { acceptEvents, type AcceptDeps } from '../ingress/accept.ts';
import type { ChannelHealthLog } from './channel-health.ts';
import { ChannelSupervisor, type ChannelLease } from './channel-supervisor.ts';

export interface MqttConnectorDeps {
  repository: Pick<ChannelRepository, 'list' | 'get'>;
  /** Which process runs each channel's client when several ingress processes run (see ChannelSupervisor). */
  lease?: ChannelLease;
  /** Where publications go in: the same path as every webhook (`acceptEvents`). */
  accept: AcceptDeps;
  health: ChannelHealthLog;
  log: Logger;
  /** How often the channel list is read again (default 10 s): a new, changed or disabled MQTT channel takes effect within it. */
  refreshMs?: number;
}

type Settings = Extract<MqttSettings, { ok: true }>;

interface Running {
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
  private readonly subscriptions: ChannelSupervisor<Settings, Running>;

  constructor(private readonly deps: MqttConnectorDeps) {
    this.publishers = new MqttPublishers((channelId, note) => this.note(channelId, note));
    this.subscriptions = new ChannelSupervisor<Settings, Running>({
      repository: deps.repository,
      lease: deps.lease,
      health: deps.health,
      log: deps.log,
      refreshMs: deps.refreshMs,
      wants: (c) => c.type === 'mqtt',
      settingsOf: mqttSettingsOf,
      identity: ({ config, login }) => [config, login],
      describe: ({ config, login }) => ({ broker: login.brokerUrl, clientId: login.clientId, topic: config.inboundTopic }),
      open: (channel, _summary, settings, replaced) => this.open(channel, settings, replaced),
      close: (running) => running.subscription.close(),
      wording: {
        listFailed: 'could not read the MQTT channels; trying again at the next refresh',
        readFailed: 'could not read an MQTT channel',
        gone: 'the channel was disabled or deleted',
        notStarted: 'MQTT channel not started',
        started: 'MQTT channel started',
        stopped: 'MQTT channel stopped',
      },
    });
  }

  /** Opens the subscriptions of the channels enabled now, then follows changes every refresh period. */
  start(): Promise<void> {
    return this.subscriptions.start();
  }

  /** Reads the channels and opens, reopens or closes subscriptions to match. Never throws. */
  refresh(): Promise<void> {
    return this.subscriptions.refresh();
  }

  private async open(channel: ChannelRecord, { config, login }: Settings, replaced: Running | undefined): Promise<Running> {
    // The broker keeps a persistent session's subscriptions: a filter the channel no longer uses is removed.
    const staleFilters = replaced && replaced.clientId === login.clientId && replaced.filter !== config.inboundTopic ? [replaced.filter] : [];
    const subscription = await MqttSubscription.open({
      login,
      filter: config.inboundTopic,
      qos: qosOf(config),
      staleFilters,
      store: (publication) => this.store(channel, config, publication),
      note: (note) => this.note(channel.id, note),
    });
    return { clientId: login.clientId, filter: config.inboundTopic, subscription };
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
    await this.subscriptions.stop();
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
