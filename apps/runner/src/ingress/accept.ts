import type { Logger } from 'pino';
import type { MessageEvent } from '@signalbox/nodes';
import { conversationKeyOf, type InboundLog } from '@signalbox/db';
import type { Metrics } from '../metrics.ts';
import type { QueueDriver } from '../queue/contract.ts';
import type { Topology } from '../queue/topology.ts';

export interface AcceptDeps {
  inbound: InboundLog;
  queue: QueueDriver;
  topology: Topology;
  metrics: Metrics;
  log: Logger;
}

/**
 * Every channel's way in: store the normalized event (the dedupe is the unique index), count it, and tell the
 * queue. Returns false for a duplicate. The answer to the platform need not wait for the queue: the event is
 * stored, and if the notification is lost the worker's sweep still finds it.
 */
export async function acceptEvent(deps: AcceptDeps, channel: { id: string; type: string }, event: MessageEvent): Promise<boolean> {
  const key = conversationKeyOf(channel.id, event.thread.id);
  const fresh = await deps.inbound.record({ channelId: channel.id, externalId: event.id, conversationKey: key, kind: 'message', payload: event });
  if (!fresh) {
    deps.metrics.duplicates.inc({ channel_type: channel.type });
    return false;
  }
  deps.metrics.accepted.inc({ channel_type: channel.type });
  void deps.queue.add(deps.topology.inbound, key).catch((error: unknown) => deps.log.warn({ err: error }, 'queue add failed; the sweep will pick the event up'));
  return true;
}
