import type { ChannelRecord } from '@signalbox/db';
import { deliverWebhook, renderWebhook, type DeliveryResult } from '@signalbox/channels';
import { OutboundMessage } from '@signalbox/nodes';
import type { OutboxRow } from '@signalbox/db';
import type { Realtime } from '../realtime.ts';

/** What the worker stored in an outbox row for the sender. */
export interface OutboxPayload {
  message: OutboundMessage;
  to: string | null;
  thread: string;
  inReplyTo: string | null;
}

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
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const message = OutboundMessage.safeParse(v.message);
  if (!message.success || typeof v.thread !== 'string') return null;
  return {
    message: message.data,
    to: typeof v.to === 'string' ? v.to : null,
    thread: v.thread,
    inReplyTo: typeof v.inReplyTo === 'string' ? v.inReplyTo : null,
  };
}
