import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChannelRecord, ChannelRepository, ChannelSummary } from '@signalbox/db';
import type { ChannelHealthLog } from './channel-health.ts';

/** How often the channel list is read again: a new, changed or disabled channel takes effect within it. */
const REFRESH_MS = 10_000;

/** What a connector's log lines say; each connector names its own kind of client. */
export interface SupervisorWording {
  /** Warned when the channel list cannot be read. */
  listFailed: string;
  /** Warned when one channel cannot be read with its secrets. */
  readFailed: string;
  /** Why a client closes when its channel is disabled, deleted or no longer asks for one. */
  gone: string;
  /** Logged (once per distinct error) when a channel's settings are invalid. */
  notStarted: string;
  started: string;
  stopped: string;
}

/**
 * Who runs a channel's client when several processes could: `claim` takes or renews this process's leases and
 * returns the channels it holds; `release` gives them up when it stops. Without one, every process runs every
 * wanted channel (one process, or clients that tolerate it).
 */
export interface ChannelLease {
  claim(channelIds: string[]): Promise<Set<string>>;
  release(): Promise<void>;
}

export interface ChannelSupervisorOptions<S extends { ok: true }, C> {
  repository: Pick<ChannelRepository, 'list' | 'get'>;
  lease?: ChannelLease | undefined;
  health: Pick<ChannelHealthLog, 'error'>;
  log: Logger;
  refreshMs?: number | undefined;
  /** Of the enabled channels, those that get a client; decided on the summary, which costs no decryption. */
  wants(channel: ChannelSummary): boolean;
  /** The channel's settings, read with its secrets; null when the channel no longer asks for a client. */
  settingsOf(channel: ChannelRecord): S | { ok: false; error: string } | null;
  /** The part of the settings whose change closes the client and opens a new one. */
  identity(settings: S): unknown;
  /** Log fields naming where the client connects, besides `channelId`. */
  describe(settings: S): Record<string, unknown>;
  /** `replaced` is the channel's previous client, already closed, when the settings changed. */
  open(channel: ChannelRecord, summary: ChannelSummary, settings: S, replaced: C | undefined): Promise<C>;
  close(client: C): Promise<void>;
  wording: SupervisorWording;
}

/**
 * Keeps one client (a broker subscription, a mailbox poller) running per wanted channel, following the
 * channel table: every refresh opens the clients of new channels, reopens those whose settings changed and
 * closes those of channels disabled, deleted or broken. A channel whose secrets cannot be read keeps its
 * client on the last good settings. Invalid settings are logged and noted in the channel's health once per
 * distinct error, not at every refresh.
 */
export class ChannelSupervisor<S extends { ok: true }, C> {
  private readonly running = new Map<string, { fingerprint: string; client: C }>();
  /** The settings error last reported per channel. */
  private readonly refused = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: ChannelSupervisorOptions<S, C>) {}

  /** Opens the clients of the channels wanted now, then follows changes every REFRESH_MS. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.stopped) return;
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs ?? REFRESH_MS);
    this.timer.unref();
  }

  /** Reads the channels and opens, reopens or closes clients to match; one pass at a time. Never throws. */
  refresh(): Promise<void> {
    this.refreshing ??= this.reconcile()
      .catch((error: unknown) => this.options.log.warn({ err: error }, this.options.wording.listFailed))
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private async reconcile(): Promise<void> {
    const { repository, log, health, wording } = this.options;
    const enabled = (await repository.list()).filter((c) => c.enabled && this.options.wants(c));
    // Renewed at every refresh; a channel another process holds is left to it (and closed here if it was ours).
    const held = this.options.lease ? await this.options.lease.claim(enabled.map((c) => c.id)) : null;
    const wanted = held ? enabled.filter((c) => held.has(c.id)) : enabled;
    const ids = new Set(wanted.map((c) => c.id));
    for (const id of this.running.keys()) {
      if (!ids.has(id)) await this.close(id, enabled.some((c) => c.id === id) ? 'another runner process holds the channel' : wording.gone);
    }
    for (const summary of wanted) {
      if (this.stopped) return;
      let channel: ChannelRecord | null;
      try {
        channel = await repository.get(summary.id);
      } catch (error) {
        // A secret the key cannot open: the running client (if any) keeps its last good settings.
        log.warn({ err: error, channelId: summary.id }, wording.readFailed);
        continue;
      }
      const settings = channel?.enabled ? this.options.settingsOf(channel) : null;
      if (!channel || !settings) {
        await this.close(summary.id, wording.gone);
        continue;
      }
      if (!settings.ok) {
        await this.close(summary.id, 'its settings are invalid');
        if (this.refused.get(summary.id) !== settings.error) {
          this.refused.set(summary.id, settings.error);
          log.error({ channelId: summary.id, error: settings.error }, wording.notStarted);
          health.error(summary.id, settings.error);
        }
        continue;
      }
      this.refused.delete(summary.id);
      await this.open(channel, summary, settings);
    }
  }

  private async open(channel: ChannelRecord, summary: ChannelSummary, settings: S): Promise<void> {
    // A hash, so the settings (with the password) are not kept twice in memory.
    const fingerprint = createHash('sha256').update(JSON.stringify(this.options.identity(settings))).digest('hex');
    const existing = this.running.get(channel.id);
    if (existing?.fingerprint === fingerprint) return;
    if (existing) await this.close(channel.id, 'its settings changed');
    const client = await this.options.open(channel, summary, settings, existing?.client);
    if (this.stopped) {
      await this.options.close(client);
      return;
    }
    this.running.set(channel.id, { fingerprint, client });
    this.options.log.info({ channelId: channel.id, ...this.options.describe(settings) }, this.options.wording.started);
  }

  private async close(channelId: string, why: string): Promise<void> {
    const running = this.running.get(channelId);
    if (!running) return;
    this.running.delete(channelId);
    await this.options.close(running.client);
    this.options.log.info({ channelId, why }, this.options.wording.stopped);
  }

  /** Closes every client, each after the work it is doing, once the refresh under way (if any) is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.refreshing;
    await Promise.all([...this.running.keys()].map((id) => this.close(id, 'the runner is stopping')));
    await this.options.lease?.release().catch((error: unknown) => this.options.log.warn({ err: error }, 'could not release channel leases; they expire on their own'));
  }
}
