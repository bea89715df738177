import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ChannelRecord, OutboxRow } from '@signalbox/db';
import { deliverWebhook, MqttPublishers, outboundAdapter, renderWebhook, type DeliveryResult, type OutboundContext } from '@signalbox/channels';
import { OutboundMessage } from '@signalbox/nodes';
import type { Realtime } from '../realtime.ts';
import { websocketTopic } from './websocket/protocol.ts';
import { limitsFor, SendLimits } from '../sender/rate-limits.ts';
import { deliverMqtt } from './mqtt-connector.ts';

/** What the worker stores in an outbox row for the sender: the reply, and where it goes. */
export const OutboxPayload = z.object({
  message: OutboundMessage,
  /** The customer's id on the platform (null for a timer's message: the thread is the address). */
  to: z.string().nullable().catch(null),
  thread: z.string(),
  /** The thread's title on the platform (an email subject), for replies that repeat it. */
  threadTitle: z.string().nullable().optional().catch(null),
  inReplyTo: z.string().nullable().catch(null),
  /** When the customer last wrote (WhatsApp and Meta only allow free-form replies for 24 hours after it). */
  lastInboundAt: z.string().nullable().optional().catch(null),
  /** The flow node that sent it: a permanent failure goes back to that node's error port (see the worker). */
  nodeId: z.string().optional(),
  /** The jumped-to flow that node belongs to; absent for the conversation's own flow. */
  flowId: z.string().optional(),
});
export type OutboxPayload = z.infer<typeof OutboxPayload>;

/** A reply waits at least this long for a WebSocket client to (re)connect before its next try. */
const WEBSOCKET_RETRY_MS = 2_000;

/**
 * Which message is being sent: `messageId` is the stored message (its id is the one web chat and WebSocket
 * clients see), `idempotencyKey` stays the same across resends of it (the outbox row id), so platforms that
 * take a key drop a repeat.
 */
export interface Sending {
  messageId: string;
  idempotencyKey: string;
}

export type Deliver = (channel: ChannelRecord, sending: Sending, payload: OutboxPayload) => Promise<DeliveryResult>;

/** What the sender delivers for an outbox row. */
export function sendingOf(row: Pick<OutboxRow, 'id' | 'messageId'>): Sending {
  return { messageId: row.messageId, idempotencyKey: String(row.id) };
}

function contextOf(channel: ChannelRecord, payload: OutboxPayload, idempotencyKey: string): OutboundContext {
  const lastInbound = payload.lastInboundAt ? new Date(payload.lastInboundAt) : null;
  return {
    config: channel.config,
    secrets: channel.credentials,
    to: payload.to ?? payload.thread,
    thread: payload.thread,
    threadTitle: payload.threadTitle ?? null,
    inReplyTo: payload.inReplyTo,
    idempotencyKey,
    lastInboundAt: lastInbound && !Number.isNaN(lastInbound.getTime()) ? lastInbound : null,
    now: new Date(),
  };
}

/** Sends one outbox row through its channel's adapter, within the platform's rate limits. */
export function createDelivery(realtime: Realtime, limits: SendLimits = new SendLimits(), mqtt: MqttPublishers = new MqttPublishers()): Deliver {
  return async (channel, { messageId, idempotencyKey }, payload) => {
    switch (channel.type) {
      case 'webhook': {
        const callbackUrl = typeof channel.config.callbackUrl === 'string' ? channel.config.callbackUrl : '';
        if (!callbackUrl) return { ok: false, retry: false, error: 'the channel has no callbackUrl' };
        const body = renderWebhook({ id: idempotencyKey, conversationId: payload.thread, to: payload.to ?? payload.thread, inReplyTo: payload.inReplyTo, message: payload.message });
        return deliverWebhook(callbackUrl, channel.credentials.secret ?? '', body);
      }
      case 'webchat': {
        // The message is already in the conversation's history; live sockets get it now, others on reconnect.
        await realtime.publish(`webchat:${channel.id}:${payload.thread}`, { type: 'message', id: messageId, direction: 'out', content: payload.message, createdAt: new Date().toISOString() });
        return { ok: true, externalId: messageId };
      }
      case 'mqtt':
        // Published to the channel's outbound topic; sent once the broker acknowledged it (QoS 1 and 2).
        return deliverMqtt(mqtt, channel, payload, idempotencyKey);
      case 'websocket': {
        // Every reply of the channel goes to every connected client. With none connected the row is retried
        // (a client back within the sender's retries gets it live) and then marked failed, visibly; it stays
        // in the conversation's history, which a client reads with a `history` request.
        const body = renderWebhook({ id: messageId, conversationId: payload.thread, to: payload.to ?? payload.thread, inReplyTo: payload.inReplyTo, message: payload.message });
        const receivers = await realtime.publish(websocketTopic(channel.id), { type: 'message', ...body });
        if (receivers === 0) return { ok: false, retry: true, retryAfterMs: WEBSOCKET_RETRY_MS, error: 'no WebSocket client is connected to the channel' };
        return { ok: true, externalId: messageId };
      }
      default: {
        const adapter = outboundAdapter(channel.type);
        if (!adapter) return { ok: false, retry: false, error: `no adapter for channel type "${channel.type}"` };
        const context = contextOf(channel, payload, idempotencyKey);
        const rendered = adapter.render(payload.message, context);
        if (!rendered.ok) return { ok: false, retry: false, error: rendered.error };
        // One slot per platform call (a long text may be several messages). Per recipient means per chat: in
        // a group the reply goes to the group, whoever wrote. A failed call retries the message from its first.
        const channelLimits = limitsFor(adapter.limits, channel.config);
        let result: DeliveryResult = { ok: false, retry: false, error: 'the message rendered to nothing' };
        for (const call of rendered.calls) {
          const wait = await limits.acquire(channel.id, context.thread, channelLimits);
          if (wait > 0) return { ok: false, retry: true, retryAfterMs: wait, error: `rate limit of ${channel.type}: next send slot in ${wait} ms` };
          result = await adapter.send([call], context);
          if (!result.ok) return result;
        }
        return result;
      }
    }
  };
}

export function parseOutboxPayload(value: unknown): OutboxPayload | null {
  const parsed = OutboxPayload.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Sends one text straight through a channel's adapter, outside any conversation: the settings page's "send
 * test message". Nothing is stored; the platform's answer comes back as it is.
 */
export async function sendTestMessage(deliver: Deliver, channel: ChannelRecord, to: string, text: string): Promise<DeliveryResult> {
  const key = `test-${randomUUID()}`;
  const payload: OutboxPayload = { message: { type: 'text', text, buttons: [], quickReplies: false }, to, thread: to, threadTitle: 'Test message', inReplyTo: null, lastInboundAt: null };
  return deliver(channel, { messageId: key, idempotencyKey: key }, payload);
}
