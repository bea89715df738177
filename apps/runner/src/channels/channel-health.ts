import type { Logger } from 'pino';
import type { Pool } from '@signalbox/db';
import { recordChannelHealth } from '@signalbox/db';

const WRITE_EVERY_MS = 5_000;

/**
 * When each channel last heard from its platform and what last went wrong, for the settings page. Notes are
 * kept in memory and written at most every few seconds per channel, so a busy webhook costs no extra query
 * per request.
 */
export class ChannelHealthLog {
  private readonly pending = new Map<string, { eventAt?: Date; error?: { message: string; at: Date } }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly log: Logger,
  ) {}

  event(channelId: string): void {
    this.note(channelId, { eventAt: new Date() });
  }

  error(channelId: string, message: string): void {
    this.note(channelId, { error: { message: message.slice(0, 500), at: new Date() } });
  }

  private note(channelId: string, change: { eventAt?: Date; error?: { message: string; at: Date } }): void {
    this.pending.set(channelId, { ...this.pending.get(channelId), ...change });
    this.timer ??= setTimeout(() => void this.flush(), WRITE_EVERY_MS).unref();
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const notes = [...this.pending.entries()];
    this.pending.clear();
    if (notes.length === 0) return;
    try {
      await recordChannelHealth(this.pool, notes.map(([channelId, n]) => ({ channelId, eventAt: n.eventAt ?? null, error: n.error?.message ?? null, errorAt: n.error?.at ?? null })));
    } catch (error) {
      this.log.warn({ err: error }, 'could not record channel health');
    }
  }
}
