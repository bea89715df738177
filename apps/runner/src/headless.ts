import { z } from 'zod';
import {
  contentText,
  conversationChanges,
  outboundText,
  step,
  type Effect,
  type FlowDocument,
  type FlowState,
  type MessageEvent,
  type Services,
  type TraceEntry,
} from '@signalbox/nodes';

/** One line of an events.jsonl file for `signalbox run`. */
export const HeadlessEvent = z
  .object({
    text: z.string().optional(),
    reply: z.object({ id: z.string().min(1), title: z.string() }).optional(),
    /** Fire the timer the flow is waiting on (a delay, or a question's timeout). */
    timer: z.literal(true).optional(),
    /** The clock for this event; defaults to one second after the previous one. */
    at: z.string().datetime({ offset: true }).optional(),
    from: z.object({ id: z.string().min(1), name: z.string().optional(), locale: z.string().optional() }).optional(),
    channel: z.string().optional(),
  })
  .refine((e) => e.text !== undefined || e.reply !== undefined || e.timer === true, { message: 'each event needs text, reply or "timer": true' });
export type HeadlessEvent = z.infer<typeof HeadlessEvent>;

export interface TranscriptLine {
  from: 'customer' | 'bot' | 'system';
  text: string;
  buttons?: string[];
  at: string;
}

export interface HeadlessResult {
  transcript: TranscriptLine[];
  trace: { event: number; steps: TraceEntry[]; failed: string | null }[];
  effects: Effect[];
  state: FlowState | null;
}

/** Runs a conversation through the interpreter with no database, queue or network beyond `services`. */
export async function runHeadless(document: FlowDocument, events: HeadlessEvent[], services: Services): Promise<HeadlessResult> {
  let state: FlowState | null = null;
  let clock = new Date('2026-01-05T10:00:00Z');
  const transcript: TranscriptLine[] = [];
  const trace: HeadlessResult['trace'] = [];
  const effects: Effect[] = [];
  let pendingTimer: string | null = null;
  // Kept between events as the runner keeps them on the conversation and the contact.
  let tags: string[] = [];
  let attributes: Record<string, unknown> = {};
  for (const [index, event] of events.entries()) {
    clock = event.at ? new Date(event.at) : new Date(clock.getTime() + 1000);
    const at = clock.toISOString();
    let input: Parameters<typeof step>[0]['input'];
    if (event.timer) {
      if (!pendingTimer) {
        transcript.push({ from: 'system', text: 'no timer is pending', at });
        continue;
      }
      input = { kind: 'timer', token: pendingTimer };
      transcript.push({ from: 'system', text: 'timer fired', at });
    } else {
      const from = event.from ?? { id: 'customer' };
      const message: MessageEvent = {
        kind: 'message',
        id: `evt-${index + 1}`,
        channelType: event.channel ?? 'webhook',
        timestamp: at,
        thread: { id: 'headless', kind: 'direct' },
        raw: event,
        messageId: `msg-${index + 1}`,
        from,
        content: event.reply ? { type: 'interactive', id: event.reply.id, title: event.reply.title, kind: 'button' } : { type: 'text', text: event.text ?? '' },
        locale: from.locale,
        echo: false,
      };
      input = { kind: 'message', message };
      transcript.push({ from: 'customer', text: contentText(message.content), at });
    }
    const result = await step({
      document,
      state,
      input,
      conversation: { id: 'headless', channelId: 'headless', channelType: event.channel ?? 'webhook', language: event.from?.locale ?? null, tags },
      contact: { id: event.from?.id ?? 'customer', name: event.from?.name ?? null, attributes },
      services,
      clock: () => clock,
      random: Math.random,
    });
    state = result.state;
    const changes = conversationChanges(tags, result.effects);
    tags = changes.tags;
    attributes = { ...attributes, ...changes.attributes };
    if (input.kind === 'timer') pendingTimer = null;
    trace.push({ event: index + 1, steps: result.trace, failed: result.failed });
    for (const effect of result.effects) {
      effects.push(effect);
      if (effect.type === 'send') {
        const buttons = 'buttons' in effect.message ? effect.message.buttons.map((b) => b.title) : [];
        transcript.push({ from: 'bot', text: outboundText(effect.message), ...(buttons.length > 0 ? { buttons } : {}), at });
      }
      if (effect.type === 'schedule-timer') pendingTimer = effect.token;
      if (effect.type === 'cancel-timer' && pendingTimer === effect.token) pendingTimer = null;
      if (effect.type === 'handoff') transcript.push({ from: 'system', text: `handed off to ${effect.team} (${effect.priority})`, at });
      if (effect.type === 'close') transcript.push({ from: 'system', text: 'conversation closed', at });
    }
  }
  return { transcript, trace, effects, state };
}
