import { z } from 'zod';
import type { Effect, FlowState, Services } from '../define.ts';
import type { FlowDocument } from '../flow/document.ts';
import type { MessageEvent } from '../schemas/events.ts';
import { contentText } from '../schemas/events.ts';
import { outboundText } from '../schemas/outbound.ts';
import type { NodeRegistry } from '../nodes/registry.ts';
import { conversationChanges } from './effects.ts';
import { step, type TraceEntry } from './step.ts';

/**
 * A conversation with no database, queue or platform: the headless runner (`signalbox run`) and the editor's
 * live preview both drive flows through it, so a preview answers exactly as the runner would.
 */
export const SimulatedEvent = z
  .object({
    text: z.string().max(4096).optional(),
    reply: z.object({ id: z.string().min(1), title: z.string() }).optional(),
    /** Fire the timer the flow is waiting on (a delay, or a question's timeout). */
    timer: z.literal(true).optional(),
    /** The clock for this event; defaults to one second after the previous one. */
    at: z.string().datetime({ offset: true }).optional(),
    from: z.object({ id: z.string().min(1), name: z.string().optional(), locale: z.string().optional() }).optional(),
    channel: z.string().optional(),
  })
  .refine((e) => e.text !== undefined || e.reply !== undefined || e.timer === true, { message: 'each event needs text, reply or "timer": true' });
export type SimulatedEvent = z.infer<typeof SimulatedEvent>;

export interface TranscriptLine {
  from: 'customer' | 'bot' | 'system';
  text: string;
  buttons?: { id: string; title: string }[];
  at: string;
}

/** What a simulated conversation keeps between events, as the runner keeps it on the conversation and contact. */
export const SimulationState = z.object({
  state: z.custom<FlowState>((v) => v !== null && typeof v === 'object').nullable(),
  tags: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
  pendingTimer: z.string().nullable(),
  clock: z.string().datetime({ offset: true }),
  events: z.number().int().nonnegative(),
  /** The conversation's language once a node detected it (ISO 639-1). */
  language: z.string().nullable().default(null),
});
export type SimulationState = z.infer<typeof SimulationState>;

export function newSimulation(clock = '2026-01-05T10:00:00.000Z'): SimulationState {
  return { state: null, tags: [], attributes: {}, pendingTimer: null, clock, events: 0, language: null };
}

export interface SimulatedStep {
  simulation: SimulationState;
  transcript: TranscriptLine[];
  trace: TraceEntry[];
  effects: Effect[];
  failed: string | null;
}

export async function simulateEvent(
  document: FlowDocument,
  simulation: SimulationState,
  event: SimulatedEvent,
  services: Services,
  options: { registry?: NodeRegistry; random?: () => number } = {},
): Promise<SimulatedStep> {
  const index = simulation.events + 1;
  const clock = event.at ? new Date(event.at) : new Date(new Date(simulation.clock).getTime() + 1000);
  const at = clock.toISOString();
  const transcript: TranscriptLine[] = [];
  const next: SimulationState = { ...simulation, clock: at, events: index };
  let input: Parameters<typeof step>[0]['input'];
  if (event.timer) {
    if (!simulation.pendingTimer) {
      transcript.push({ from: 'system', text: 'no timer is pending', at });
      return { simulation: next, transcript, trace: [], effects: [], failed: null };
    }
    input = { kind: 'timer', token: simulation.pendingTimer };
    transcript.push({ from: 'system', text: 'timer fired', at });
  } else {
    const from = event.from ?? { id: 'customer' };
    const message: MessageEvent = {
      kind: 'message',
      id: `evt-${index}`,
      channelType: event.channel ?? 'webhook',
      timestamp: at,
      thread: { id: 'simulated', kind: 'direct' },
      raw: event,
      messageId: `msg-${index}`,
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
    state: simulation.state,
    input,
    conversation: { id: 'simulated', channelId: 'simulated', channelType: event.channel ?? 'webhook', language: simulation.language ?? event.from?.locale ?? null, tags: simulation.tags },
    contact: { id: event.from?.id ?? 'customer', name: event.from?.name ?? null, attributes: simulation.attributes },
    services,
    clock: () => clock,
    random: options.random ?? Math.random,
    ...(options.registry ? { registry: options.registry } : {}),
  });
  const changes = conversationChanges(simulation.tags, result.effects);
  next.state = result.state;
  next.tags = changes.tags;
  next.attributes = { ...simulation.attributes, ...changes.attributes };
  if (changes.language) next.language = changes.language;
  if (input.kind === 'timer') next.pendingTimer = null;
  for (const effect of result.effects) {
    if (effect.type === 'send') {
      const buttons = 'buttons' in effect.message ? effect.message.buttons : [];
      transcript.push({ from: 'bot', text: outboundText(effect.message), ...(buttons.length > 0 ? { buttons } : {}), at });
    }
    if (effect.type === 'schedule-timer') next.pendingTimer = effect.token;
    if (effect.type === 'cancel-timer' && next.pendingTimer === effect.token) next.pendingTimer = null;
    if (effect.type === 'handoff') transcript.push({ from: 'system', text: `handed off to ${effect.team} (${effect.priority})`, at });
    if (effect.type === 'close') transcript.push({ from: 'system', text: 'conversation closed', at });
    if (effect.type === 'set-language' && effect.language !== simulation.language) transcript.push({ from: 'system', text: `language: ${effect.language}`, at });
  }
  return { simulation: next, transcript, trace: result.trace, effects: result.effects, failed: result.failed };
}
