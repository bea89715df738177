import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { InboundEvent, initialState, loadFlowDocument, step, type FlowInput, type FlowState, type MessageEvent, type Services } from '@signalbox/nodes';
import {
  boundVersionId,
  commitStep,
  findConversation,
  getConversation,
  latestVersionOfFlow,
  markEventDone,
  openConversation,
  pendingWork,
  type ConversationRow,
  type PendingEvent,
  type Pool,
  type StepCommit,
  type OutboxRow,
} from '@signalbox/db';
import type { QueueDriver } from '../queue/contract.ts';
import type { Topology } from '../queue/topology.ts';
import type { Metrics } from '../metrics.ts';
import type { ChannelCache } from '../channels/channel-cache.ts';
import { FlowVersionCache } from './flow-cache.ts';
import { httpService } from './http-service.ts';

const DRAIN_BATCH = 50;

/** What one drain learns along the way. */
interface DrainState {
  leftForSender: boolean;
}

/** A problem with one event that retrying cannot fix: it is recorded on the event, and the conversation moves on. */
class PoisonEvent extends Error {}

/**
 * Handles one conversation's pending events, oldest first. The queue guarantees one handler per
 * conversation at a time; `commitStep` guarantees each event's effects are written exactly once.
 */
export class ConversationWorker {
  private readonly versions: FlowVersionCache;

  constructor(
    private readonly pool: Pool,
    private readonly queue: QueueDriver,
    private readonly topology: Topology,
    private readonly channels: ChannelCache,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    /**
     * Set when this process also sends (every role in one process): replies are claimed by the commit and
     * delivered right after it, without the sender querying for them. Returns false when it had to stop.
     */
    private readonly sendNow: ((rows: OutboxRow[]) => Promise<boolean>) | null = null,
    private readonly services: Services = {
      http: httpService,
      loadFlow: async (flowId) => {
        const latest = await latestVersionOfFlow(pool, flowId);
        if (!latest) return null;
        const loaded = loadFlowDocument(latest.document);
        return loaded.ok ? { ref: { flowId, versionId: latest.id }, document: loaded.document } : null;
      },
    },
  ) {
    this.versions = new FlowVersionCache(pool);
  }

  /**
   * Processes the conversation's pending events. Returns true when the sender's drain should run: replies
   * were left waiting, or there was no event at all (the job was a retry or a sweep, meant for the sender).
   */
  async drain(conversationKey: string): Promise<boolean> {
    const drain: DrainState = { leftForSender: false };
    let processed = 0;
    for (;;) {
      const work = await pendingWork(this.pool, conversationKey, DRAIN_BATCH);
      const { events } = work;
      if (events.length === 0) return drain.leftForSender || processed === 0;
      processed += events.length;
      // The conversation as this drain last wrote it: read once, then carried from commit to commit.
      let conversation = work.conversation;
      for (const event of events) {
        try {
          conversation = await this.handle(event, conversation, drain);
        } catch (error) {
          if (!(error instanceof PoisonEvent)) throw error;
          this.metrics.failed.inc();
          this.log.warn({ eventId: event.id, conversationKey, err: error.message }, 'event failed for good');
          await markEventDone(this.pool, event.id, error.message);
        }
      }
      // A short batch was everything there was: an event stored since then came with its own queue job,
      // which the queue runs after this one, so there is no need for another query to find nothing.
      if (events.length < DRAIN_BATCH) return drain.leftForSender;
    }
  }


  private async handle(event: PendingEvent, known: ConversationRow | null, drain: DrainState): Promise<ConversationRow | null> {
    if (event.kind === 'timer') return this.handleTimer(event, known, drain);
    const parsed = InboundEvent.safeParse(event.payload);
    if (!parsed.success) throw new PoisonEvent(`stored event does not match the schema: ${parsed.error.issues[0]?.message ?? ''}`);
    const normalized = parsed.data;
    if (normalized.kind !== 'message' || normalized.echo) {
      // Statuses, edits, deletes and reactions are kept in inbound_event; the channel adapters (issue 4) apply them.
      await markEventDone(this.pool, event.id);
      this.metrics.processed.inc({ kind: normalized.kind });
      return known;
    }
    const channel = await this.channels.get(event.channelId);
    if (!channel) throw new PoisonEvent(`channel ${event.channelId} no longer exists`);
    let conversation =
      known && known.channelId === event.channelId && known.externalId === normalized.thread.id
        ? known
        : await findConversation(this.pool, event.channelId, normalized.thread.id);
    if (!conversation) {
      conversation = await openConversation(this.pool, {
        workspaceId: channel.workspaceId,
        channelId: channel.id,
        externalId: normalized.thread.id,
        from: normalized.from,
        flowVersionId: await boundVersionId(this.pool, channel.id),
      });
    }
    return this.run(event, conversation, channel.type, { kind: 'message', message: normalized }, normalized, drain);
  }

  private async handleTimer(event: PendingEvent, known: ConversationRow | null, drain: DrainState): Promise<ConversationRow | null> {
    const payload = event.payload as { token?: unknown; conversationId?: unknown };
    if (typeof payload.token !== 'string' || typeof payload.conversationId !== 'string') throw new PoisonEvent('timer event without token');
    const conversation = known?.id === payload.conversationId ? known : await getConversation(this.pool, payload.conversationId);
    const channel = await this.channels.get(event.channelId);
    if (!conversation || !channel) {
      await markEventDone(this.pool, event.id);
      return known;
    }
    return this.run(event, conversation, channel.type, { kind: 'timer', token: payload.token }, null, drain);
  }

  /** Runs the flow for one event and commits the result; returns the conversation as it now stands. */
  private async run(
    event: PendingEvent,
    conversation: ConversationRow,
    channelType: string,
    input: FlowInput,
    message: MessageEvent | null,
    drain: DrainState,
  ): Promise<ConversationRow> {
    let state = (conversation.state as FlowState | null) ?? null;
    let status = conversation.status;
    let owner = conversation.owner;
    let flowVersionId = conversation.flowVersionId;
    if (message && status === 'closed') {
      // A closed conversation reopens on the next customer message, on the channel's current flow version.
      status = 'open';
      owner = 'bot';
      state = null;
      flowVersionId = await boundVersionId(this.pool, conversation.channelId);
    }
    const commit: StepCommit = {
      eventId: event.id,
      conversation,
      conversationKey: event.conversationKey,
      inbound: message ? { externalId: message.messageId, content: message.content, raw: message.raw } : null,
      outgoing: [],
      state,
      status,
      owner,
      tags: conversation.tags,
      contactAttributes: null,
      timers: [],
      cancelTimers: [],
      flowVersionId,
      trace: [],
      failed: null,
    };
    const document = owner === 'bot' && flowVersionId ? await this.versions.get(flowVersionId) : null;
    if (owner === 'bot' && !flowVersionId) commit.failed = 'no published flow is bound to this channel';
    if (document) {
      const started = performance.now();
      const result = await step({
        document,
        state: state ?? initialState(document),
        input,
        conversation: { id: conversation.id, channelId: conversation.channelId, channelType, language: conversation.language, tags: conversation.tags },
        contact: conversation.contact,
        services: this.services,
        clock: () => new Date(),
        random: Math.random,
      });
      this.metrics.stepLatency.observe((performance.now() - started) / 1000);
      commit.state = result.state;
      commit.trace = result.trace;
      commit.failed = result.failed;
      const tags = new Set(conversation.tags);
      const attributes: Record<string, unknown> = {};
      for (const effect of result.effects) {
        switch (effect.type) {
          case 'send': {
            const messageId = randomUUID();
            commit.outgoing.push({
              messageId,
              content: effect.message,
              payload: { message: effect.message, to: message?.from.id ?? null, thread: conversation.externalId, inReplyTo: message?.id ?? null, nodeId: effect.nodeId },
            });
            break;
          }
          case 'set-contact-attribute':
            attributes[effect.key] = effect.value;
            break;
          case 'tag':
            if (effect.action === 'add') tags.add(effect.tag);
            else tags.delete(effect.tag);
            break;
          case 'schedule-timer':
            commit.timers.push({ token: effect.token, dueAt: effect.dueAt });
            break;
          case 'cancel-timer':
            commit.cancelTimers.push(effect.token);
            break;
          case 'handoff':
            commit.owner = 'human';
            commit.assignedTeam = effect.team;
            commit.priority = effect.priority;
            break;
          case 'close':
            commit.status = 'closed';
            break;
          default: {
            const unreachable: never = effect;
            throw new Error(`unhandled effect ${JSON.stringify(unreachable)}`);
          }
        }
      }
      commit.tags = [...tags];
      commit.contactAttributes = Object.keys(attributes).length > 0 ? attributes : null;
      if (commit.status === 'closed') commit.state = null;
    }
    const result = await commitStep(this.pool, commit, this.sendNow !== null);
    // Not ours after all (another worker processed the event): forget what we know of the conversation.
    if (!result.committed) return (await getConversation(this.pool, conversation.id)) ?? conversation;
    if (result.claimed.length > 0 && this.sendNow && !(await this.sendNow(result.claimed))) drain.leftForSender = true;
    if (result.pending > 0) drain.leftForSender = true;
    this.metrics.processed.inc({ kind: input.kind });
    if (commit.failed) this.log.warn({ conversationId: conversation.id, failed: commit.failed }, 'flow run failed');
    // With one queue for both, the same job sends the replies next; otherwise the sender role is told.
    if (commit.outgoing.length > 0 && this.topology.outbound !== this.topology.inbound) await this.queue.add(this.topology.outbound, event.conversationKey);
    return {
      ...conversation,
      state: commit.state,
      status: commit.status,
      owner: commit.owner,
      tags: commit.tags,
      flowVersionId: commit.flowVersionId,
      contact: { ...conversation.contact, attributes: { ...conversation.contact.attributes, ...commit.contactAttributes } },
    };
  }
}
