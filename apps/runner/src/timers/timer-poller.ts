import type { Logger } from 'pino';
import { conversationsWithPendingEvents, conversationsWithUnsent, fireDueTimers, type Pool } from '@signalbox/db';
import type { QueueDriver } from '../queue/contract.ts';
import type { Topology } from '../queue/topology.ts';

/**
 * Background loops of the worker and sender roles:
 * - timers: every `tickMs`, due timers become inbound events of their conversation;
 * - sweep: work the queue was never told about (a crash between the database write and the queue add, or a
 *   Redis flush) is found in the database and queued again. At start it runs at once, so a restart after a
 *   crash picks up everything that was accepted.
 */
export class BackgroundLoops {
  private readonly handles: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly queue: QueueDriver,
    private readonly topology: Topology,
    private readonly log: Logger,
  ) {}

  startTimers(tickMs = 250) {
    this.every(tickMs, async () => {
      const fired = await fireDueTimers(this.pool);
      for (const t of fired) await this.queue.add(this.topology.inbound, t.conversationKey);
    });
  }

  startInboundSweep(everyMs = 5_000, staleMs = 3_000) {
    const sweep = async (olderThan: number) => {
      for (const key of await conversationsWithPendingEvents(this.pool, olderThan)) await this.queue.add(this.topology.inbound, key);
    };
    void sweep(0).catch((error: unknown) => this.log.warn({ err: error }, 'startup sweep failed'));
    this.every(everyMs, () => sweep(staleMs));
  }

  startOutboundSweep(everyMs = 5_000) {
    const sweep = async () => {
      for (const { key, dueInMs } of await conversationsWithUnsent(this.pool)) await this.queue.add(this.topology.outbound, key, { delayMs: dueInMs });
    };
    void sweep().catch((error: unknown) => this.log.warn({ err: error }, 'startup sweep failed'));
    this.every(everyMs, sweep);
  }

  private every(ms: number, work: () => Promise<void>) {
    let running = false;
    const handle = setInterval(() => {
      if (running || this.stopped) return;
      running = true;
      work()
        .catch((error: unknown) => this.log.warn({ err: error }, 'background loop failed; retrying next tick'))
        .finally(() => {
          running = false;
        });
    }, ms);
    this.handles.push(handle);
  }

  stop() {
    this.stopped = true;
    for (const h of this.handles) clearInterval(h);
  }
}
