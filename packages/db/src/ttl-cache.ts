/**
 * Reads kept for `ttlMs`: a busy flow costs no query per message, and an edit in the web app is live within that
 * time. A failed read is forgotten at once, so the next one tries again.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && this.clock() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    this.entries.set(key, { at: this.clock(), value });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}
