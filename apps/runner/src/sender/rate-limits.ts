import type { PlatformLimits } from '@signalbox/channels';

/** A send waits for its slot (a conversation's replies go one by one anyway); only a longer wait reschedules the row. */
const MAX_WAIT_MS = 30_000;

/** Slots already in the past are forgotten once this many keys are held (one per account and recipient). */
const SWEEP_AT_KEYS = 10_000;

type Limit = { messages: number; perMs: number };

/**
 * Per-account and per-recipient send limits of the platforms (WhatsApp about 80 msg/s per number, Telegram
 * 30 msg/s per bot and 1 msg/s per chat). Each limit is enforced as an even spacing (one message every
 * perMs / messages), not a window, so no burst ever exceeds the rate. In memory, per sender process: with
 * several sender processes, give each channel a `messagesPerSecond` divided among them.
 *
 * Each key keeps the time of its next free slot on the monotonic clock; a send reserves the slot, so waiting
 * sends go in the order they asked. See docs/decisions.md for why this is not rate-limiter-flexible.
 */
export class SendLimits {
  private readonly nextFree = new Map<string, number>();

  /**
   * Takes a slot for one message to `recipient` on `channelId`. Returns 0 when it may be sent now, or the
   * milliseconds to wait when that is longer than a sender should sleep.
   */
  async acquire(channelId: string, recipient: string, limits: PlatformLimits): Promise<number> {
    if (limits.perAccount) {
      const wait = await this.take(`account:${channelId}`, limits.perAccount);
      if (wait > 0) return wait;
    }
    if (limits.perRecipient) return this.take(`recipient:${channelId}:${recipient}`, limits.perRecipient);
    return 0;
  }

  private async take(key: string, limit: Limit): Promise<number> {
    const now = performance.now();
    const slot = Math.max(now, this.nextFree.get(key) ?? now);
    if (slot - now > MAX_WAIT_MS) return Math.ceil(slot - now);
    if (this.nextFree.size >= SWEEP_AT_KEYS) this.sweep(now);
    this.nextFree.set(key, slot + limit.perMs / limit.messages);
    // A timer may fire up to a few milliseconds early (it counts from the event loop's cached clock), so
    // sleep until the monotonic clock has really passed the slot.
    for (let left = slot - now; left > 0; left = slot - performance.now()) {
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(left)));
    }
    return 0;
  }

  private sweep(now: number): void {
    for (const [key, free] of this.nextFree) if (free <= now) this.nextFree.delete(key);
  }
}

/** A channel's `messagesPerSecond` setting, when set, replaces the platform's per-account default. */
export function limitsFor(defaults: PlatformLimits, config: Readonly<Record<string, unknown>>): PlatformLimits {
  const perSecond = config.messagesPerSecond;
  if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond <= 0) return defaults;
  return { ...defaults, perAccount: { messages: perSecond, perMs: 1000 } };
}
