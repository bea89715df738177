import { z } from 'zod';
import type { ChannelRecord, OutboxRow } from '@signalbox/db';
import { deliverWebhook, renderWebhook, type DeliveryResult } from '@signalbox/channels';
import { OutboundMessage } from '@signalbox/nodes';
import type { Realtime } from '../realtime.ts';

/** What the worker stores in an outbox row for the sender: the reply, and where it goes. */
export const OutboxPayload = z.object({
  message: OutboundMessage,
  /** The customer's id on the platform (null for a timer's message: the thread is the address). */
  to: z.string().nullable().catch(null),
  thread: z.string(),
  inReplyTo: z.string().nullable().catch(null),
  /** The flow node that sent it (for traces). */
  nodeId: z.string().optional(),
});
export type OutboxPayload = z.infer<typeof OutboxPayload>;

export type Deliver = (channel: ChannelRecord, row: OutboxRow, payload: OutboxPayload) => Promise<DeliveryResult>;

/** Sends one outbox row through its channel's adapter. */
export function createDelivery(realtime: Realtime): Deliver {
  return async (channel, row, payload) => {
    switch (channel.type) {
      case 'webhook': {
        const callbackUrl = typeof channel.config.callbackUrl === 'string' ? channel.config.callbackUrl : '';
        if (!callbackUrl) return { ok: false, retry: false, error: 'the channel has no callbackUrl' };
        const body = renderWebhook({ id: String(row.id), conversationId: payload.thread, to: payload.to ?? payload.thread, inReplyTo: payload.inReplyTo, message: payload.message });
        return deliverWebhook(callbackUrl, channel.credentials.secret ?? '', body);
      }
      case 'webchat': {
        // The message is already in the conversation's history; live sockets get it now, others on reconnect.
        await realtime.publish(`webchat:${channel.id}:${payload.thread}`, { type: 'message', id: row.messageId, direction: 'out', content: payload.message });
        return { ok: true, externalId: row.messageId };
      }
      default:
        return { ok: false, retry: false, error: `no adapter for channel type "${channel.type}"` };
    }
  };
}

export function parseOutboxPayload(value: unknown): OutboxPayload | null {
  const parsed = OutboxPayload.safeParse(value);
  return parsed.success ? parsed.data : null;
}
