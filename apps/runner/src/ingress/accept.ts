import type { Logger } from 'pino';
import type { InboundFile } from '@signalbox/channels';
import type { InboundEvent } from '@signalbox/nodes';
import { conversationKeyOf, type InboundLog } from '@signalbox/db';
import { storeInboundFiles, type InboundFiles } from '../media/inbound-files.ts';
import type { Metrics } from '../metrics.ts';
import type { QueueDriver } from '../queue/contract.ts';
import type { Topology } from '../queue/topology.ts';

export interface AcceptDeps {
  inbound: InboundLog;
  queue: QueueDriver;
  topology: Topology;
  metrics: Metrics;
  log: Logger;
  /** Where files that come inside a request (email attachments) are stored; without it they stay descriptions. */
  files?: InboundFiles;
}

/**
 * Every channel's way in: store the normalized event (the dedupe is the unique index), count it, and tell the
 * queue. Returns false for a duplicate. The answer to the platform need not wait for the queue: the event is
 * stored, and if the notification is lost the worker's sweep still finds it.
 */
export async function acceptEvent(deps: AcceptDeps, channel: { id: string; type: string }, event: InboundEvent): Promise<boolean> {
  const key = conversationKeyOf(channel.id, event.thread.id);
  const fresh = await deps.inbound.record({ channelId: channel.id, externalId: event.id, conversationKey: key, kind: event.kind, payload: event });
  if (!fresh) {
    deps.metrics.duplicates.inc({ channel_type: channel.type });
    return false;
  }
  deps.metrics.accepted.inc({ channel_type: channel.type });
  void deps.queue.add(deps.topology.inbound, key).catch((error: unknown) => deps.log.warn({ err: error }, 'queue add failed; the sweep will pick the event up'));
  return true;
}

/**
 * All events of one platform request, stored in their order (submitted together, they share one INSERT and
 * keep the platform's order in the id sequence). Counts what was new and what was a repeat. Files the request
 * carried are stored first, so the events point at them.
 */
export async function acceptEvents(
  deps: AcceptDeps,
  channel: { id: string; type: string },
  events: InboundEvent[],
  files: readonly InboundFile[] = [],
): Promise<{ accepted: number; duplicates: number }> {
  const linked = deps.files && files.length > 0 ? await storeInboundFiles(deps.files, channel, events, files) : events;
  const fresh = await Promise.all(linked.map((event) => acceptEvent(deps, channel, event)));
  const accepted = fresh.filter(Boolean).length;
  return { accepted, duplicates: fresh.length - accepted };
}
