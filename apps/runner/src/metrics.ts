import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

/** Prometheus metrics of one runner process, served at /metrics. */
export function createMetrics(depths: () => Promise<{ inbound: number; outbox: number; timers: number }>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'signalbox_process_' });
  const accepted = new Counter({ name: 'signalbox_events_accepted_total', help: 'Inbound events accepted by the ingress', labelNames: ['channel_type'], registers: [registry] });
  const duplicates = new Counter({ name: 'signalbox_events_duplicate_total', help: 'Inbound events dropped as duplicates', labelNames: ['channel_type'], registers: [registry] });
  const rejected = new Counter({ name: 'signalbox_events_rejected_total', help: 'Inbound requests rejected', labelNames: ['reason'], registers: [registry] });
  const processed = new Counter({ name: 'signalbox_events_processed_total', help: 'Inbound events processed by workers', labelNames: ['kind'], registers: [registry] });
  const failed = new Counter({ name: 'signalbox_events_failed_total', help: 'Inbound events whose processing failed', registers: [registry] });
  const sent = new Counter({ name: 'signalbox_messages_sent_total', help: 'Outbound messages delivered to a channel', labelNames: ['channel_type'], registers: [registry] });
  const sendFailed = new Counter({ name: 'signalbox_messages_failed_total', help: 'Outbound messages that failed for good', labelNames: ['channel_type'], registers: [registry] });
  const sendRetried = new Counter({ name: 'signalbox_messages_retried_total', help: 'Outbound send attempts that will be retried', labelNames: ['channel_type'], registers: [registry] });
  const mediaFetched = new Counter({ name: 'signalbox_media_fetched_total', help: 'Inbound media items copied into the media store (downloaded from a platform, or carried by the request)', labelNames: ['channel_type'], registers: [registry] });
  const mediaFailed = new Counter({
    name: 'signalbox_media_fetch_failed_total',
    help: "Inbound media items that could not be fetched (the message keeps the platform's reference)",
    labelNames: ['channel_type', 'reason'],
    registers: [registry],
  });
  const stepLatency = new Histogram({
    name: 'signalbox_step_duration_seconds',
    help: 'Time to run the flow interpreter for one event',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  new Gauge({
    name: 'signalbox_queue_depth',
    help: 'Work waiting in the database: unprocessed inbound events, unsent outbox rows, pending timers',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const d = await depths().catch(() => null);
      if (!d) return;
      this.set({ queue: 'inbound' }, d.inbound);
      this.set({ queue: 'outbox' }, d.outbox);
      this.set({ queue: 'timers' }, d.timers);
    },
  });
  return { registry, accepted, duplicates, rejected, processed, failed, sent, sendFailed, sendRetried, mediaFetched, mediaFailed, stepLatency };
}
