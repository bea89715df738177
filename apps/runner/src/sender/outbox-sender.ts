import type { Logger } from 'pino';
import { markAmbiguous, markFailed, markRetry, markSending, SentLog, unclaim, unsentForConversation, type OutboxRow, type Pool } from '@signalbox/db';
import { backoffDelay, type QueueDriver } from '../queue/contract.ts';
import type { Topology } from '../queue/topology.ts';
import type { Metrics } from '../metrics.ts';
import type { ChannelCache } from '../channels/channel-cache.ts';
import { parseOutboxPayload, sendingOf, type Deliver } from '../channels/adapters.ts';

const DRAIN_BATCH = 20;

/**
 * Sends one conversation's outbox rows strictly in order. A row that must be retried holds back the rows
 * after it (replies never overtake each other); a row that failed for good is marked failed and skipped, and its
 * flow is told (a `delivery-failed` event for the worker).
 *
 * A delivered row is recorded as sent through `sent` (a SentLog), without waiting for it: the next row goes
 * out at once. Reading a conversation's outbox (`drain`) first waits for its marks (`settled`), and a job
 * must not end before they are written, since whoever handles the conversation next would find its replies
 * still `sending` and send them again.
 */
export class OutboxSender {
  constructor(
    private readonly pool: Pool,
    private readonly queue: QueueDriver,
    private readonly topology: Topology,
    private readonly channels: ChannelCache,
    private readonly deliver: Deliver,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly maxAttempts = 8,
    private readonly sent = new SentLog(pool),
  ) {}

  /** Marks of delivered rows not yet written, per conversation. */
  private readonly marking = new Map<string, Promise<void>[]>();

  /** Resolves when every row of the conversation this process delivered is recorded as sent. */
  async settled(conversationKey: string): Promise<void> {
    const pending = this.marking.get(conversationKey);
    if (!pending) return;
    this.marking.delete(conversationKey);
    await Promise.all(pending);
  }

  async drain(conversationKey: string): Promise<void> {
    await this.settled(conversationKey);
    try {
      await this.drainRows(conversationKey);
    } finally {
      await this.settled(conversationKey);
    }
  }

  private async drainRows(conversationKey: string): Promise<void> {
    for (;;) {
      const rows = await unsentForConversation(this.pool, conversationKey, DRAIN_BATCH);
      if (rows.length === 0) return;
      for (const row of rows) {
        const wait = row.nextAttemptAt.getTime() - Date.now();
        if (wait > 0) {
          await this.queue.add(this.topology.outbound, conversationKey, { delayMs: wait });
          return;
        }
        if (row.status === 'sending') {
          // A previous process died mid-send: the platform may have the message. The retry carries the same
          // idempotency key (the row id); the row is flagged so the ambiguity is visible.
          await markAmbiguous(this.pool, row.id);
          this.log.warn({ outboxId: row.id }, 'resending a message whose earlier send was interrupted');
        }
        await markSending(this.pool, row.id);
        if ((await this.send(row, row.attempts + 1)) === 'stop') return;
      }
      // As in the worker: rows added since the query came with their own queue job.
      if (rows.length < DRAIN_BATCH) return;
    }
  }

  /**
   * Sends rows the worker's commit already marked as being sent (attempt 1), in order. Returns false when a
   * row must be retried later: the rows after it go back to the sender's queue, unsent.
   */
  async sendClaimed(rows: OutboxRow[]): Promise<boolean> {
    for (const [i, row] of rows.entries()) {
      if ((await this.send(row, 1)) === 'stop') {
        await unclaim(
          this.pool,
          rows.slice(i + 1).map((r) => r.id),
        );
        return false;
      }
    }
    return true;
  }

  /** One delivery attempt of a row already marked 'sending'. 'stop' when it is scheduled for a retry. */
  private async send(row: OutboxRow, attempt: number): Promise<'next' | 'stop'> {
    const channel = await this.channels.get(row.channelId);
    const payload = parseOutboxPayload(row.payload);
    if (!channel || !payload) {
      await this.fail(row, channel ? 'outbox payload is not a valid message' : 'channel no longer exists');
      return 'next';
    }
    const result = await this.deliver(channel, sendingOf(row), payload);
    if (result.ok) {
      const marked = this.sent.record(row, result.externalId);
      // Awaited by `settled`; until then a failure must not go unhandled.
      marked.catch(() => undefined);
      const pending = this.marking.get(row.conversationKey);
      if (pending) pending.push(marked);
      else this.marking.set(row.conversationKey, [marked]);
      this.metrics.sent.inc({ channel_type: channel.type });
      return 'next';
    }
    if (!result.retry || attempt >= this.maxAttempts) {
      await this.fail(row, result.error);
      this.metrics.sendFailed.inc({ channel_type: channel.type });
      this.log.warn({ outboxId: row.id, error: result.error, attempt }, 'message failed');
      return 'next';
    }
    const delay = Math.max(result.retryAfterMs ?? 0, backoffDelay(attempt));
    await markRetry(this.pool, row, result.error, delay);
    this.metrics.sendRetried.inc({ channel_type: channel.type });
    await this.queue.add(this.topology.outbound, row.conversationKey, { delayMs: delay });
    return 'stop';
  }

  /** Marks a row failed for good; the flow's delivery-failed event, written with it, needs the worker to run. */
  private async fail(row: OutboxRow, error: string): Promise<void> {
    if (await markFailed(this.pool, row, error)) await this.queue.add(this.topology.inbound, row.conversationKey);
  }
}
