import type { MessageEvent } from '@signalbox/nodes';
import { readJson, type FieldIssue } from '../adapter.ts';
import { parseWebhook } from '../webhook/webhook.ts';
import { wildcardPart } from './topics.ts';

/**
 * One MQTT publication -> one normalized message event. The payload is the generic webhook's JSON body
 * (`WebhookInbound`, DESIGN.md section 5) and is read by the webhook's own parser, so both channels take the
 * same fields and name the same ones when something is wrong. One difference: `conversationId` may be left
 * out, and then the topic says which conversation the message belongs to:
 *
 * - the part of the topic the subscription's wildcards matched: filter `shop/+/in`, topic `shop/c-42/in` ->
 *   `c-42`; several wildcards join with `/` (`shop/+/in/#`, `shop/a/in/b/c` -> `a/b/c`). The usual device
 *   layout `shop/{id}/in` and `shop/{id}/out` then round-trips: replies go to the topic the thread came from.
 * - the whole topic, when the filter has no wildcard or the wildcards matched nothing (`shop/#` on `shop`).
 *
 * The payload's `id` is the dedupe key: a broker redelivering a message whose acknowledgement was lost (QoS 1)
 * produces a duplicate that the ingress drops.
 */

/** The webhook's body limit: a larger publication is refused before it is parsed. */
export const MQTT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** The longest thread the webhook contract takes (`conversationId`). */
const MAX_THREAD_LENGTH = 200;

export interface MqttPublication {
  topic: string;
  payload: Buffer;
}

/**
 * Why a publication was refused, also the `rejected` metric's reason: `too_large` (over MQTT_MAX_PAYLOAD_BYTES),
 * `malformed_body` (not JSON), `invalid_body` (JSON, but not a webhook body), `topic_mismatch` (a topic the
 * channel's filter does not cover, left over from an earlier subscription of the same persistent session).
 */
export type MqttRejection = 'too_large' | 'malformed_body' | 'invalid_body' | 'topic_mismatch';

export type MqttNormalized = { ok: true; event: MessageEvent } | { ok: false; error: MqttRejection; issues: FieldIssue[] };

/** The conversation a publication without `conversationId` belongs to (see above), or null for a foreign topic. */
export function threadOfTopic(filter: string, topic: string): string | null {
  const part = wildcardPart(filter, topic);
  if (part === null) return null;
  return part === '' ? topic : part;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function normalizeMqtt(publication: MqttPublication, inboundTopic: string, now: Date = new Date()): MqttNormalized {
  const { topic, payload } = publication;
  if (payload.length > MQTT_MAX_PAYLOAD_BYTES) {
    return { ok: false, error: 'too_large', issues: [{ path: '$', message: `the payload is ${payload.length} bytes; the limit is ${MQTT_MAX_PAYLOAD_BYTES}` }] };
  }
  const thread = threadOfTopic(inboundTopic, topic);
  if (thread === null) {
    return { ok: false, error: 'topic_mismatch', issues: [{ path: 'topic', message: `"${topic}" does not match the channel's inbound topic "${inboundTopic}"` }] };
  }
  const json = readJson(payload);
  if (!json.ok) return { ok: false, error: 'malformed_body', issues: json.issues };

  let body = payload;
  if (isObject(json.value) && json.value.conversationId === undefined) {
    if (thread.length > MAX_THREAD_LENGTH) {
      const message = `the conversation taken from the topic ("${thread.slice(0, 40)}…") is longer than ${MAX_THREAD_LENGTH} characters; put conversationId in the payload`;
      return { ok: false, error: 'invalid_body', issues: [{ path: 'topic', message }] };
    }
    body = Buffer.from(JSON.stringify({ ...json.value, conversationId: thread }));
  }
  const parsed = parseWebhook(body, now);
  if (!parsed.ok) return { ok: false, error: parsed.error === 'malformed_json' ? 'malformed_body' : 'invalid_body', issues: parsed.issues };
  // The raw payload as it arrived, with its topic: the topic is part of the message on MQTT.
  return { ok: true, event: { ...parsed.event, channelType: 'mqtt', raw: { topic, payload: json.value } } };
}
