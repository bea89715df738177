import type { OutboundMessage } from '@signalbox/nodes';
import { renderWebhook, type WebhookOutbound } from '../webhook/webhook.ts';
import { THREAD_PLACEHOLDER, topicProblem } from './topics.ts';

/**
 * A reply as an MQTT publication: the generic webhook's outbound body (DESIGN.md section 5) as JSON, published
 * to the channel's topic template with the conversation filled in. The body's `id` is the outbox row id, the
 * same on every retry, so a subscriber can drop the repeat of a publication whose PUBACK was lost.
 */

export interface MqttReply {
  topic: string;
  /** JSON text of a `WebhookOutbound`. */
  payload: string;
}

export type RenderedMqtt = { ok: true; reply: MqttReply } | { ok: false; error: string };

/**
 * The template with `{conversationId}` replaced. A thread containing `+`, `#` or NUL would make a topic nobody
 * can publish to, so it is refused rather than escaped: a subscriber could not undo an escape it does not know.
 * A `/` in the thread adds levels (a thread that came from a multi-level wildcard goes back where it came from).
 */
export function replyTopic(template: string, conversationId: string): { ok: true; topic: string } | { ok: false; error: string } {
  if (template.includes(THREAD_PLACEHOLDER) && (/[+#]/.test(conversationId) || conversationId.includes('\u0000'))) {
    return { ok: false, error: `conversation "${conversationId.replaceAll('\u0000', '\\0')}" cannot be part of an MQTT topic: it contains "+", "#" or NUL` };
  }
  const topic = template.replaceAll(THREAD_PLACEHOLDER, conversationId);
  const problem = topicProblem(topic);
  return problem ? { ok: false, error: `the outbound topic "${topic}" ${problem}` } : { ok: true, topic };
}

export function renderMqtt(input: { outboundTopic: string; id: string; conversationId: string; to: string; inReplyTo: string | null; message: OutboundMessage }): RenderedMqtt {
  const topic = replyTopic(input.outboundTopic, input.conversationId);
  if (!topic.ok) return topic;
  const body: WebhookOutbound = renderWebhook(input);
  return { ok: true, reply: { topic: topic.topic, payload: JSON.stringify(body) } };
}
