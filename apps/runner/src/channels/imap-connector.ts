import type { Logger } from 'pino';
import { emailInbound, ImapPoller, imapSettingsOf, type ImapLogin, type ImapMessage, type ImapSettings } from '@signalbox/channels';
import type { ChannelRecord, ChannelRepository, ChannelSummary } from '@signalbox/db';
import { acceptEvents, type AcceptDeps } from '../ingress/accept.ts';
import type { ChannelHealthLog } from './channel-health.ts';
import { ChannelSupervisor, type ChannelLease } from './channel-supervisor.ts';

export interface ImapConnectorDeps {
  repository: Pick<ChannelRepository, 'list' | 'get'>;
  /** Which process runs each channel's client when several ingress processes run (see ChannelSupervisor). */
  lease?: ChannelLease;
  /** Where mail goes in: the same path as every webhook (`acceptEvents`). */
  accept: AcceptDeps;
  health: ChannelHealthLog;
  log: Logger;
  /** How often the channel list is read again (default 10 s): a new, changed or disabled mailbox takes effect within it. */
  refreshMs?: number;
  /** For tests: how soon a lost connection is tried again (the poller's default is 1 s doubling to 5 min). */
  backoff?: { initialMs: number; maxMs: number };
}

type Settings = Extract<ImapSettings, { ok: true }>;

const mailboxOf = (login: ImapLogin) => ({ host: login.host, port: login.port, mailbox: login.mailbox });

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
  private readonly pollers: ChannelSupervisor<Settings, ImapPoller>;

  constructor(private readonly deps: ImapConnectorDeps) {
    this.pollers = new ChannelSupervisor<Settings, ImapPoller>({
      repository: deps.repository,
      lease: deps.lease,
      health: deps.health,
      log: deps.log,
      refreshMs: deps.refreshMs,
      // The summary has no secrets: a channel without an IMAP host costs no decryption.
      wants: (c) => c.type === 'email' && typeof c.config.imapHost === 'string' && c.config.imapHost !== '',
      settingsOf: imapSettingsOf,
      identity: ({ login }) => login,
      describe: ({ login }) => mailboxOf(login),
      open: (channel, summary, { login }) => Promise.resolve(this.open(channel, summary, login)),
      close: (poller) => poller.stop(),
      wording: {
        listFailed: 'could not read the email channels; trying again at the next refresh',
        readFailed: 'could not read an email channel',
        gone: 'the channel was disabled, deleted or has no IMAP host any more',
        notStarted: 'IMAP polling not started',
        started: 'IMAP polling started',
        stopped: 'IMAP polling stopped',
      },
    });
  }

  /** Starts the pollers of the channels enabled now (without waiting for their servers), then follows changes. */
  start(): Promise<void> {
    return this.pollers.start();
  }

  /** Reads the channels and starts, restarts or stops pollers to match. Never throws. */
  refresh(): Promise<void> {
    return this.pollers.refresh();
  }

  private open(channel: ChannelRecord, summary: ChannelSummary, login: ImapLogin): ImapPoller {
    const { log, health } = this.deps;
    const where = { channelId: channel.id, ...mailboxOf(login) };
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
    return poller;
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
      await acceptEvents(accept, { id: channel.id, type: channel.type }, normalized.events, normalized.files);
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
  stop(): Promise<void> {
    return this.pollers.stop();
  }
}
