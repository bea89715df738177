import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { conversationChanges, InboundEvent, loadFlowDocument, step, type FlowInput, type FlowState, type MessageEvent, type Services, type WorkspaceServices } from '@signalbox/nodes';
import {
  applyDeliveryStatus,
  applyWatermarkStatus,
  boundVersionId,
  CommitLog,
  DeliveryFailedPayload,
  findConversation,
  getConversation,
  latestVersionOfFlow,
  markEventsDone,
  openConversation,
  WorkLog,
  type ConversationCommit,
  type EventOutcome,
  type ConversationRow,
  type PendingEvent,
  type Pool,
  type OutboxRow,
  type SentLog,
} from '@signalbox/db';
import type { QueueDriver } from '../queue/contract.ts';
import type { Topology } from '../queue/topology.ts';
import type { Metrics } from '../metrics.ts';
import type { ChannelCache } from '../channels/channel-cache.ts';
import type { OutboxPayload } from '../channels/adapters.ts';
import type { MediaFetcher } from '../media/fetcher.ts';
import { FlowVersionCache } from './flow-cache.ts';
import { httpService } from '@signalbox/channels';

const DRAIN_BATCH = 50;
/** Commits refused because the conversation changed underneath (another worker after a lost lock) before the job gives up. */
const MAX_STALE_COMMITS = 3;

/** A problem with one event that retrying cannot fix: it is recorded on the event, and the conversation moves on. */
class PoisonEvent extends Error {}

/**
 * The flow work of one batch of a conversation's events, built up in memory event by event and written in
 * one commit: `conversation` is the row as read, `commit` what it becomes.
 */
interface Batch {
  conversation: ConversationRow;
  commit: ConversationCommit;
  /** What each of `commit.events` was, for the metrics. */
  kinds: FlowInput['kind'][];
}

/**
 * Handles one conversation's pending events, oldest first. The queue guarantees one handler per
 * conversation at a time. A drain runs the flow for each of a batch of events in memory, then writes the
 * batch in one commit; concurrent drains share their reads and commits (`WorkLog`, `CommitLog`), so under
 * load one statement serves many conversations. The conversation's revision makes each commit all or nothing.
 */
export class ConversationWorker {
  private readonly versions: FlowVersionCache;
  private readonly work: WorkLog;
  private readonly commits: CommitLog;

  /**
   * Set to keep customers' personal data out of the database (MASK_STORED_PII): what is stored of each message and
   * event goes through it; the flow still reads what the customer wrote.
   */
  storedMask: (<T>(value: T) => T) | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly queue: QueueDriver,
    private readonly topology: Topology,
    private readonly channels: ChannelCache,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    /**
     * Set when this process also sends (every role in one process): replies are claimed by the commit and
     * delivered right after it by `send`, without the sender querying for them (false when it had to stop).
     * The sender's marks of delivered replies (`sent`) are written by the next commit.
     */
    private readonly sendNow: { send: (rows: OutboxRow[]) => Promise<boolean>; sent: SentLog } | null,
    /** A workspace's language services (intents, language id, emotion, translation) and message templates. */
    private readonly workspace: (workspaceId: string) => WorkspaceServices,
    /** Copies inbound media into the runner's store before the flow sees the message; null: platform references stay. */
    private readonly media: MediaFetcher | null = null,
    private readonly services: Omit<Services, keyof WorkspaceServices> = {
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
    this.work = new WorkLog(pool, DRAIN_BATCH);
    this.commits = new CommitLog(pool, sendNow?.sent ?? null);
  }

  /**
   * Processes the conversation's pending events. Returns true when the sender's drain should run: replies
   * were left waiting, or there was no event at all (the job was a retry or a sweep, meant for the sender).
   */
  async drain(conversationKey: string): Promise<boolean> {
    let leftForSender = false;
    let processed = 0;
    let stale = 0;
    for (;;) {
      const { events, conversation } = await this.work.load(conversationKey);
      if (events.length === 0) return leftForSender || processed === 0;
      const batch = await this.runBatch(events, conversation);
      if (batch) {
        const result = await this.commits.commit(batch.commit);
        if (!result.committed) {
          // Someone else wrote this conversation since it was read: read it again and redo the batch.
          stale += 1;
          this.log.warn({ conversationKey, stale }, 'conversation changed during the drain; redoing the batch');
          if (stale >= MAX_STALE_COMMITS) throw new Error(`conversation ${conversationKey} keeps changing under the worker`);
          continue;
        }
        for (const [i, outcome] of batch.commit.events.entries()) {
          this.metrics.processed.inc({ kind: batch.kinds[i] ?? 'message' });
          if (outcome.failed) this.log.warn({ conversationId: batch.conversation.id, failed: outcome.failed }, 'flow run failed');
        }
        if (result.claimed.length > 0 && this.sendNow && !(await this.sendNow.send(result.claimed))) leftForSender = true;
        if (result.pending > 0) leftForSender = true;
        // With one queue for both, the same job sends the replies next; otherwise the sender role is told.
        const replied = batch.commit.events.some((e) => e.outgoing.length > 0);
        if (replied && this.topology.outbound !== this.topology.inbound) await this.queue.add(this.topology.outbound, conversationKey);
      }
      processed += events.length;
      // A short batch was everything there was: an event stored since then came with its own queue job,
      // which the queue runs after this one, so there is no need for another query to find nothing.
      if (events.length < DRAIN_BATCH) return leftForSender;
    }
  }

  /**
   * Runs the flow for each event in order; returns the batch to commit, or null when no event needed flow work.
   * Events that need none, and events that failed for good, are marked done together before it returns.
   */
  private async runBatch(events: PendingEvent[], known: ConversationRow | null): Promise<Batch | null> {
    let batch: Batch | null = null;
    let conversation = known;
    const done: { id: number; error: string | null }[] = [];
    if (this.media) for (const event of events) void this.prefetchMedia(event);
    for (const event of events) {
      try {
        const prepared = await this.prepare(event, conversation);
        if (!prepared) {
          done.push({ id: event.id, error: null, ...this.masked(event) });
          continue;
        }
        if (batch && batch.conversation.id !== prepared.conversation.id) {
          throw new PoisonEvent(`event is keyed to conversation ${batch.conversation.id} but names ${prepared.conversation.id}`);
        }
        conversation = prepared.conversation;
        batch ??= { conversation, commit: this.emptyCommit(conversation, event), kinds: [] };
        await this.run(event, batch, prepared.channelType, prepared.input, prepared.message);
      } catch (error) {
        if (!(error instanceof PoisonEvent)) throw error;
        this.metrics.failed.inc();
        this.log.warn({ eventId: event.id, conversationKey: event.conversationKey, err: error.message }, 'event failed for good');
        done.push({ id: event.id, error: error.message, ...this.masked(event) });
      }
    }
    await markEventsDone(this.pool, done);
    return batch;
  }

  /**
   * Works out what an event asks of the flow. Null when it needs no flow work (the caller marks it done):
   * statuses, edits and reactions, and timers and delivery failures of conversations that are gone.
   */
  private async prepare(
    event: PendingEvent,
    known: ConversationRow | null,
  ): Promise<{ conversation: ConversationRow; channelType: string; input: FlowInput; message: MessageEvent | null } | null> {
    const channel = await this.channels.get(event.channelId);
    if (event.kind === 'timer') {
      const payload = event.payload as { token?: unknown; conversationId?: unknown };
      if (typeof payload.token !== 'string' || typeof payload.conversationId !== 'string') throw new PoisonEvent('timer event without token');
      const conversation = known?.id === payload.conversationId ? known : await getConversation(this.pool, payload.conversationId);
      if (!conversation || !channel) return null;
      return { conversation, channelType: channel.type, input: { kind: 'timer', token: payload.token }, message: null };
    }
    if (event.kind === 'delivery-failed') {
      const parsed = DeliveryFailedPayload.safeParse(event.payload);
      if (!parsed.success) throw new PoisonEvent(`delivery-failed event does not match its schema: ${parsed.error.issues[0]?.message ?? ''}`);
      const { conversationId, nodeId, flowId, messageId, error } = parsed.data;
      const conversation = known?.id === conversationId ? known : await getConversation(this.pool, conversationId);
      if (!conversation || !channel) return null;
      return { conversation, channelType: channel.type, input: { kind: 'delivery-failed', nodeId, flowId, messageId, error }, message: null };
    }
    const parsed = InboundEvent.safeParse(event.payload);
    if (!parsed.success) throw new PoisonEvent(`stored event does not match the schema: ${parsed.error.issues[0]?.message ?? ''}`);
    const normalized = parsed.data;
    if (normalized.kind === 'status' && normalized.upTo && (normalized.status === 'delivered' || normalized.status === 'read')) {
      await applyWatermarkStatus(this.pool, { channelId: event.channelId, thread: normalized.thread.id, upTo: normalized.upTo, status: normalized.status });
    } else if (normalized.kind === 'status') {
      const applied = await applyDeliveryStatus(this.pool, {
        channelId: event.channelId,
        externalId: normalized.messageId,
        status: normalized.status,
        error: normalized.error ? `${normalized.error.code}: ${normalized.error.message}` : null,
      });
      // A `failed` receipt became a delivery-failed event of the message's conversation (queued behind this batch
      // when it is this one): its drain must run.
      for (const key of applied.failureEvents) await this.queue.add(this.topology.inbound, key);
    }
    if (normalized.kind !== 'message' || normalized.echo) {
      // Edits, deletes, reactions, echoes and unsupported events stay in inbound_event (with their raw payload)
      // and run no flow.
      this.metrics.processed.inc({ kind: normalized.kind });
      return null;
    }
    if (!channel) throw new PoisonEvent(`channel ${event.channelId} no longer exists`);
    let conversation =
      known && known.channelId === event.channelId && known.externalId === normalized.thread.id
        ? known
        : await findConversation(this.pool, event.channelId, normalized.thread.id);
    if (!conversation) {
      // On the version the channel's binding names.
      conversation = await openConversation(this.pool, { workspaceId: channel.workspaceId, channelId: channel.id, externalId: normalized.thread.id, from: normalized.from });
    }
    // Bounded by MEDIA_FETCH_TIMEOUT_MS; media that could not be copied keep the platform's reference.
    const message = this.media ? await this.media.localize(channel, normalized) : normalized;
    return { conversation, channelType: channel.type, input: { kind: 'message', message }, message };
  }

  /** Starts the media downloads of a whole batch at once (an album is one wait, not ten); `prepare` waits for each in turn. */
  private async prefetchMedia(event: PendingEvent): Promise<void> {
    const channel = await this.channels.get(event.channelId).catch(() => null);
    if (channel) this.media?.prefetch(channel, event.payload);
  }

  private emptyCommit(conversation: ConversationRow, event: PendingEvent): ConversationCommit {
    return {
      conversationId: conversation.id,
      revision: conversation.revision,
      conversationKey: event.conversationKey,
      channelId: conversation.channelId,
      contactId: conversation.contact.id,
      events: [],
      state: conversation.state,
      status: conversation.status,
      owner: conversation.owner,
      assignedTeam: null,
      priority: null,
      tags: conversation.tags,
      flowVersionId: conversation.flowVersionId,
      contactAttributes: null,
      timers: [],
      cancelTimers: [],
      sendNow: this.sendNow !== null,
    };
  }

  /** The event's payload as it is to be kept, when stored personal data is masked. */
  private masked(event: PendingEvent): { storedPayload?: unknown } {
    return this.storedMask ? { storedPayload: this.storedMask(event.payload) } : {};
  }

  /** Runs the flow for one event on the batch's conversation as the events before it left it, and adds the outcome to the batch. */
  private async run(event: PendingEvent, batch: Batch, channelType: string, input: FlowInput, message: MessageEvent | null): Promise<void> {
    const { conversation, commit } = batch;
    let state = (commit.state as FlowState | null) ?? null;
    if (message && commit.status === 'closed') {
      // A closed conversation reopens on the next customer message, on the channel's current flow version.
      commit.status = 'open';
      commit.owner = 'bot';
      state = null;
      commit.flowVersionId = await boundVersionId(this.pool, conversation.channelId);
    }
    const mask = this.storedMask ?? (<T>(value: T) => value);
    const outcome: EventOutcome = {
      eventId: event.id,
      inbound: message ? { externalId: message.messageId, content: mask(message.content), attachments: message.attachments, raw: mask(message.raw) } : null,
      outgoing: [],
      flowVersionId: commit.flowVersionId,
      trace: [],
      failed: null,
      ...this.masked(event),
    };
    commit.events.push(outcome);
    batch.kinds.push(input.kind);
    const document = commit.owner === 'bot' && commit.flowVersionId ? await this.versions.get(commit.flowVersionId) : null;
    if (commit.owner === 'bot' && !commit.flowVersionId) outcome.failed = 'no published flow is bound to this channel';
    if (!document) {
      commit.state = state;
      return;
    }
    const started = performance.now();
    const result = await step({
      document,
      // Null for a closed conversation: a delivery failure finds no run to go back to; anything else starts afresh.
      state,
      input,
      conversation: { id: conversation.id, channelId: conversation.channelId, channelType, language: commit.language ?? conversation.language, tags: commit.tags },
      contact: { ...conversation.contact, attributes: { ...conversation.contact.attributes, ...commit.contactAttributes } },
      services: { ...this.services, ...this.workspace(conversation.workspaceId) },
      clock: () => new Date(),
      random: Math.random,
    });
    this.metrics.stepLatency.observe((performance.now() - started) / 1000);
    commit.state = result.state;
    outcome.trace = result.trace;
    outcome.failed = result.failed;
    const changes = conversationChanges(commit.tags, result.effects);
    commit.tags = changes.tags;
    if (changes.language) commit.language = changes.language;
    if (changes.attributes) commit.contactAttributes = { ...commit.contactAttributes, ...changes.attributes };
    for (const effect of result.effects) {
      switch (effect.type) {
        case 'send': {
          const payload: OutboxPayload = {
            message: effect.message,
            to: message?.from.id ?? null,
            thread: conversation.externalId,
            threadTitle: message?.thread.title ?? null,
            inReplyTo: message?.messageId ?? null,
            lastInboundAt: message?.timestamp ?? null,
            nodeId: effect.nodeId,
            flowId: effect.flowId,
          };
          // Sent as it is; stored masked once delivered (MASK_STORED_PII).
          outcome.outgoing.push({ messageId: randomUUID(), content: mask(effect.message), payload, ...(this.storedMask ? { storedPayload: this.storedMask(payload) } : {}) });
          break;
        }
        case 'set-contact-attribute':
        case 'tag':
        case 'set-language':
          break; // applied above
        case 'schedule-timer':
          commit.timers.push({ token: effect.token, dueAt: effect.dueAt });
          break;
        case 'cancel-timer': {
          // A timer set earlier in this batch is not in the database yet: it is simply not written.
          const before = commit.timers.length;
          commit.timers = commit.timers.filter((t) => t.token !== effect.token);
          if (commit.timers.length === before) commit.cancelTimers.push(effect.token);
          break;
        }
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
    if (commit.status === 'closed') commit.state = null;
  }
}
