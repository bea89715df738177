import type { ChannelRecord, ChannelRepository } from '@signalbox/db';

const TTL_MS = 5_000;

/**
 * Channels are read on every webhook; a short-lived cache keeps that off the database. Edits (a rotated
 * secret, a disabled channel) take effect within TTL_MS.
 */
export class ChannelCache {
  private readonly entries = new Map<string, { at: number; value: Promise<ChannelRecord | null> }>();

  constructor(private readonly repository: ChannelRepository) {}

  get(id: string): Promise<ChannelRecord | null> {
    const now = Date.now();
    const hit = this.entries.get(id);
    if (hit && now - hit.at < TTL_MS) return hit.value;
    const value = this.repository.get(id).catch((error: unknown) => {
      this.entries.delete(id);
      throw error;
    });
    this.entries.set(id, { at: now, value });
    if (this.entries.size > 10_000) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}
