/**
 * Which queue carries which work.
 *
 * Split roles (`--role worker` and `--role sender` in separate processes) use two queues: the worker adds an
 * outbound job after each commit. A process with every role (the default) uses one queue whose handler runs a
 * conversation's flow work and then sends its replies under the same key lock: one job, one lock and one
 * queue round trip per message fewer. Processes of the two kinds must not share a Redis prefix.
 */
export interface Topology {
  inbound: string;
  outbound: string;
}

export const SPLIT: Topology = { inbound: 'inbound', outbound: 'outbound' };
export const UNIFIED: Topology = { inbound: 'conversation', outbound: 'conversation' };
