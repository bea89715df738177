import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { PlatformLimits } from '@signalbox/channels';

/** A send waits for its slot (a conversation's replies go one by one anyway); only a longer wait reschedules the row. */
const MAX_WAIT_MS = 30_000;

type Limit = { messages: number; perMs: number };

/**
 * Per-account and per-recipient send limits of the platforms (WhatsApp about 80 msg/s per number, Telegram
 * 30 msg/s per bot and 1 msg/s per chat). Each limit is enforced as an even spacing (one message every
 * perMs / messages), not a window, so no burst ever exceeds the rate. In memory, per sender process: with
 * several sender processes, give each channel a `messagesPerSecond` divided among them.
 */
export class SendLimits {
  private readonly limiters = new Map<string, RateLimiterMemory>();

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
    const limiter = this.limiterFor(limit);
    for (;;) {
      try {
        await limiter.consume(key);
        return 0;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        if (rejection.msBeforeNext > MAX_WAIT_MS) return rejection.msBeforeNext;
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, rejection.msBeforeNext)));
      }
    }
  }

  private limiterFor(limit: Limit): RateLimiterMemory {
    const spacingMs = limit.perMs / limit.messages;
    const id = String(spacingMs);
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterMemory({ points: 1, duration: spacingMs / 1000 });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

/** A channel's `messagesPerSecond` setting, when set, replaces the platform's per-account default. */
export function limitsFor(defaults: PlatformLimits, config: Readonly<Record<string, unknown>>): PlatformLimits {
  const perSecond = config.messagesPerSecond;
  if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond <= 0) return defaults;
  return { ...defaults, perAccount: { messages: perSecond, perMs: 1000 } };
}
