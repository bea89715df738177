/**
 * Group commit: calls made while earlier ones are in flight wait and go together in one statement. Under
 * light load every call goes at once (no added latency); under heavy load the batches grow, and one round trip
 * serves many callers. Each caller's promise settles when its batch does.
 */
export class GroupCommit<I, O> {
  private readonly waiting: { input: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    private readonly flush: (inputs: I[]) => Promise<O[]>,
    private readonly maxBatch = 256,
    private readonly maxInFlight = 2,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight += 1;
      this.flush(batch.map((b) => b.input))
        .then((outputs) => batch.forEach((b, i) => b.resolve(outputs[i] as O)))
        .catch((error: unknown) => batch.forEach((b) => b.reject(error)))
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }
}
