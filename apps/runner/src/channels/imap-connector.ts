import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { emailInbound, ImapPoller, imapSettingsOf, type ImapLogin, type ImapMessage } from '@signalbox/channels';
import type { ChannelRecord, ChannelRepository, ChannelSummary } from '@signalbox/db';
import { acceptEvents, type AcceptDeps } from '../ingress/accept.ts';
import type { ChannelHealthLog } from './channel-health.ts';

/** How often the channel list is read again: a new, changed or disabled mailbox takes effect within it. */
const REFRESH_MS = 10_000;

export interface ImapConnectorDeps {
  repository: Pick<ChannelRepository, 'list' | 'get'>;
  /** Where mail goes in: the same path as every webhook (`acceptEvents`). */
  accept: AcceptDeps;
  health: ChannelHealthLog;
  log: Logger;
  refreshMs?: number;
  /** For tests: how soon a lost connection is tried again (the poller's default is 1 s doubling to 5 min). */
  backoff?: { initialMs: number; maxMs: number };
}

interface Running {
  fingerprint: string;
  poller: ImapPoller;
}

/**
 * Email channels with an `imapHost` have no webhook: the runner goes to the mailbox. In a process with the
 * ingress role, one ImapPoller per such enabled channel feeds every new mail through emailInbound.normalize
 * -> acceptEvents, the webhook's own path, and the poller flags it \Seen once stored. Mail that is not a
 * readable message is logged, counted (`signalbox_events_rejected_total{reason}`), noted in the channel's
 * health and flagged \Seen too, so it is not fetched forever; it never holds up the mail after it.
 *
 * Mail received before the channel was created is never taken (see ImapPoller's `since`): connecting a
 * mailbox must not answer its old unread mail.
 */
export class ImapConnector {
  private readonly running = new Map<string, Running>();
  /** The settings error last reported per channel, so a broken channel is reported once, not every refresh. */
  private readonly refused = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly deps: ImapConnectorDeps) {}

  /** Starts the pollers of the channels enabled now (without waiting for their servers), then follows changes. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.stopped) return;
    this.timer = setInterval(() => void this.refresh(), this.deps.refreshMs ?? REFRESH_MS);
    this.timer.unref();
  }

  /** Reads the channels and starts, restarts or stops pollers to match. Never throws. */
  refresh(): Promise<void> {
    this.refreshing ??= this.reconcile()
      .catch((error: unknown) => this.deps.log.warn({ err: error }, 'could not read the email channels; trying again at the next refresh'))
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private async reconcile(): Promise<void> {
    const { repository, log, health } = this.deps;
    // The summary has no secrets: a channel without an IMAP host costs no decryption.
    const wanted = (await repository.list()).filter((c) => c.type === 'email' && c.enabled && typeof c.config.imapHost === 'string' && c.config.imapHost !== '');
    const ids = new Set(wanted.map((c) => c.id));
    for (const id of this.running.keys()) if (!ids.has(id)) await this.close(id, 'the channel was disabled, deleted or has no IMAP host any more');
    for (const summary of wanted) {
      if (this.stopped) return;
      let channel: ChannelRecord | null;
      try {
        channel = await repository.get(summary.id);
      } catch (error) {
        // A secret the key cannot open: the running poller (if any) keeps its last good settings.
        log.warn({ err: error, channelId: summary.id }, 'could not read an email channel');
        continue;
      }
      const settings = channel?.enabled ? imapSettingsOf(channel) : null;
      if (!channel || !settings) {
        await this.close(summary.id, 'the channel was disabled, deleted or has no IMAP host any more');
        continue;
      }
      if (!settings.ok) {
        await this.close(summary.id, 'its settings are invalid');
        if (this.refused.get(summary.id) !== settings.error) {
          this.refused.set(summary.id, settings.error);
          log.error({ channelId: summary.id, error: settings.error }, 'IMAP polling not started');
          health.error(summary.id, settings.error);
        }
        continue;
      }
      this.refused.delete(summary.id);
      await this.open(channel, summary, settings.login);
    }
  }

  private async open(channel: ChannelRecord, summary: ChannelSummary, login: ImapLogin): Promise<void> {
    // A hash, so the settings (with the password) are not kept twice in memory.
    const fingerprint = createHash('sha256').update(JSON.stringify(login)).digest('hex');
    const existing = this.running.get(channel.id);
    if (existing?.fingerprint === fingerprint) return;
    if (existing) await this.close(channel.id, 'its settings changed');
    const { log, health } = this.deps;
    const where = { channelId: channel.id, host: login.host, port: login.port, mailbox: login.mailbox };
    const poller = new ImapPoller({
      ...login,
      since: new Date(summary.createdAt),
      ...(this.deps.backoff ? { backoff: this.deps.backoff } : {}),
      onMessage: (source, message) => this.store(channel, source, message),
      onTooLarge: (message) => this.refuse(channel, message, 'too_large', `a mail of ${message.size} bytes is over the 25 MB limit; it was not fetched`),
      onConnected: (mailbox) => log.info({ ...where, exists: mailbox.exists }, 'IMAP mailbox open'),
      onError: (error, retryInMs) => {
        log.warn({ ...where, error: error.message, retryInMs }, 'IMAP polling failed; retrying');
        health.error(channel.id, `IMAP: ${error.message}`);
      },
    });
    poller.start();
    this.running.set(channel.id, { fingerprint, poller });
    log.info(where, 'IMAP polling started');
  }

  private async close(channelId: string, why: string): Promise<void> {
    const running = this.running.get(channelId);
    if (!running) return;
    this.running.delete(channelId);
    await running.poller.stop();
    this.deps.log.info({ channelId, why }, 'IMAP polling stopped');
  }

  /** Resolves once the mail's event is stored (or the mail is refused); throws only when storing failed. */
  private async store(channel: ChannelRecord, source: Buffer, message: ImapMessage): Promise<void> {
    const { accept, health, log } = this.deps;
    const normalized = await emailInbound.normalize({ body: source, contentType: 'message/rfc822', now: new Date() });
    if (!normalized.ok) {
      const issues = normalized.issues.map((i) => `${i.path} ${i.message}`).join('; ');
      this.refuse(channel, message, normalized.error, issues);
      return;
    }
    try {
      await acceptEvents(accept, { id: channel.id, type: channel.type }, normalized.events);
    } catch (error) {
      log.error({ err: error, channelId: channel.id, uid: message.uid }, 'could not store an email; it stays unseen and is fetched again');
      throw error;
    }
    health.event(channel.id);
  }

  private refuse(channel: ChannelRecord, message: ImapMessage, reason: string, issues: string): void {
    const { accept, health, log } = this.deps;
    accept.metrics.rejected.inc({ reason });
    health.error(channel.id, `rejected a mail (IMAP UID ${message.uid}): ${issues}`);
    log.warn({ channelId: channel.id, uid: message.uid, reason, issues }, 'rejected an email; flagged \\Seen and left in the mailbox');
  }

  /** Stops every poller (each after the mail it is storing), before the database closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.refreshing;
    await Promise.all([...this.running.keys()].map((id) => this.close(id, 'the runner is stopping')));
  }
}
