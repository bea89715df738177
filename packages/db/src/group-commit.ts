/**
 * Group commit: calls made while earlier ones are in flight wait and go together in one statement. Under
 * light load every call goes at once (no added latency); under heavy load the batches grow, and one round trip
 * serves many callers. Each caller's promise settles when its batch does.
 *
 * With `keyOf`, calls of one key keep their order across batches: a call never goes while a batch holding
 * its key is in flight, nor ahead of an earlier call of its key. Calls of other keys need not wait, so up to
 * `maxInFlight` batches can run side by side.
 */
export class GroupCommit<I, O> {
  private waiting: { input: I; key: string | null; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  /** Keys of the batches in flight, with how many of their calls. */
  private readonly busyKeys = new Map<string, number>();

  constructor(
    private readonly flush: (inputs: I[]) => Promise<O[]>,
    private readonly maxBatch = 256,
    private readonly maxInFlight = 2,
    private readonly keyOf: ((input: I) => string) | null = null,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, key: this.keyOf ? this.keyOf(input) : null, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      this.inFlight += 1;
      for (const b of batch) if (b.key !== null) this.busyKeys.set(b.key, (this.busyKeys.get(b.key) ?? 0) + 1);
      this.flush(batch.map((b) => b.input))
        .then((outputs) => batch.forEach((b, i) => b.resolve(outputs[i] as O)))
        .catch((error: unknown) => batch.forEach((b) => b.reject(error)))
        .finally(() => {
          this.inFlight -= 1;
          for (const b of batch) {
            if (b.key === null) continue;
            const left = (this.busyKeys.get(b.key) ?? 1) - 1;
            if (left === 0) this.busyKeys.delete(b.key);
            else this.busyKeys.set(b.key, left);
          }
          this.pump();
        });
    }
  }

  /** The next batch: waiting calls in order, skipping those whose key is in flight or was skipped before them. */
  private takeBatch() {
    if (!this.keyOf) return this.waiting.splice(0, this.maxBatch);
    const batch: typeof this.waiting = [];
    const kept: typeof this.waiting = [];
    const held = new Set<string>();
    for (const call of this.waiting) {
      const key = call.key ?? '';
      if (batch.length < this.maxBatch && !this.busyKeys.has(key) && !held.has(key)) batch.push(call);
      else {
        held.add(key);
        kept.push(call);
      }
    }
    this.waiting = kept;
    return batch;
  }
}
