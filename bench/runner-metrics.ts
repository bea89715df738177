/**
 * The few figures the bench reads from the runner's Prometheus endpoint, and the difference between two
 * scrapes (counters and histograms only grow, so a phase's share is `after - before`).
 */

export interface Scrape {
  /** Cumulative bucket counts of signalbox_step_duration_seconds, by upper bound in seconds; +Inf is the count. */
  stepBuckets: Map<number, number>;
  stepSum: number;
  processed: number;
  sent: number;
  sendRetried: number;
  sendFailed: number;
  /** Work still waiting in the database when scraped. */
  depth: { inbound: number; outbox: number };
  eventLoopLagP99Ms: number | null;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/;

/** Counters summed over all their label sets. */
const COUNTERS = {
  signalbox_events_processed_total: 'processed',
  signalbox_messages_sent_total: 'sent',
  signalbox_messages_retried_total: 'sendRetried',
  signalbox_messages_failed_total: 'sendFailed',
} as const satisfies Record<string, keyof Scrape>;

const isCounter = (name: string): name is keyof typeof COUNTERS => Object.hasOwn(COUNTERS, name);

function labelsOf(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of (text ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[match[1] ?? ''] = match[2] ?? '';
  return labels;
}

export function parseScrape(text: string): Scrape {
  const scrape: Scrape = {
    stepBuckets: new Map(),
    stepSum: 0,
    processed: 0,
    sent: 0,
    sendRetried: 0,
    sendFailed: 0,
    depth: { inbound: 0, outbox: 0 },
    eventLoopLagP99Ms: null,
  };
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, name, rawLabels, rawValue] = match;
    const value = Number(rawValue);
    const labels = labelsOf(rawLabels);
    if (name !== undefined && isCounter(name)) {
      scrape[COUNTERS[name]] += value;
      continue;
    }
    switch (name) {
      case 'signalbox_step_duration_seconds_bucket':
        scrape.stepBuckets.set(labels.le === '+Inf' ? Infinity : Number(labels.le), value);
        break;
      case 'signalbox_step_duration_seconds_sum':
        scrape.stepSum = value;
        break;
      case 'signalbox_queue_depth':
        if (labels.queue === 'inbound') scrape.depth.inbound = value;
        if (labels.queue === 'outbox') scrape.depth.outbox = value;
        break;
      case 'signalbox_process_nodejs_eventloop_lag_p99_seconds':
        scrape.eventLoopLagP99Ms = value * 1000;
        break;
    }
  }
  return scrape;
}

export async function scrapeRunner(baseUrl: string): Promise<Scrape> {
  const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return parseScrape(await response.text());
}

export interface StepLatency {
  count: number;
  meanMs: number | null;
  /** Estimated from the histogram buckets (linear within a bucket), as Prometheus' histogram_quantile does. */
  p50Ms: number | null;
  p99Ms: number | null;
}

function bucketQuantile(bounds: number[], counts: number[], q: number): number | null {
  const total = counts.at(-1) ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    const count = counts[i] ?? 0;
    if (count < rank) continue;
    const upper = bounds[i] ?? Infinity;
    const lower = i === 0 ? 0 : (bounds[i - 1] ?? 0);
    if (upper === Infinity) return lower; // past the last finite bucket: the best answer is its bound
    const below = i === 0 ? 0 : (counts[i - 1] ?? 0);
    return lower + (upper - lower) * ((rank - below) / Math.max(1, count - below));
  }
  return null;
}

export function stepLatencyBetween(before: Scrape, after: Scrape): StepLatency {
  const bounds = [...after.stepBuckets.keys()].sort((a, b) => a - b);
  const counts = bounds.map((le) => (after.stepBuckets.get(le) ?? 0) - (before.stepBuckets.get(le) ?? 0));
  const count = (after.stepBuckets.get(Infinity) ?? 0) - (before.stepBuckets.get(Infinity) ?? 0);
  const toMs = (seconds: number | null) => (seconds === null ? null : seconds * 1000);
  return {
    count,
    meanMs: count > 0 ? ((after.stepSum - before.stepSum) / count) * 1000 : null,
    p50Ms: toMs(bucketQuantile(bounds, counts, 0.5)),
    p99Ms: toMs(bucketQuantile(bounds, counts, 0.99)),
  };
}
