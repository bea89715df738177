/**
 * Which queue carries which work. Inbound work always goes to `conversation`.
 *
 * A process that runs flows and also sends (the default, or `--role worker,sender`) handles a conversation's
 * replies in the same job: one job and one queue round trip per message fewer. Worker-only processes add a
 * job to `outbound` after each commit, for sender-only processes.
 */
export interface Topology {
  inbound: string;
  outbound: string;
}

export const SPLIT: Topology = { inbound: 'conversation', outbound: 'outbound' };
export const UNIFIED: Topology = { inbound: 'conversation', outbound: 'conversation' };
