import { newSimulation, simulateEvent, SimulatedEvent, type Effect, type FlowDocument, type FlowState, type Services, type TraceEntry } from '@signalbox/nodes';

/** One line of an events.jsonl file for `signalbox run`. */
export const HeadlessEvent = SimulatedEvent;
export type HeadlessEvent = SimulatedEvent;

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
  let simulation = newSimulation();
  const result: HeadlessResult = { transcript: [], trace: [], effects: [], state: null };
  for (const event of events) {
    const noTimerPending = event.timer === true && simulation.pendingTimer === null;
    const stepped = await simulateEvent(document, simulation, event, services);
    simulation = stepped.simulation;
    // The CLI's JSON shows button titles only: that is what a customer sees.
    result.transcript.push(...stepped.transcript.map(({ buttons, ...line }) => (buttons ? { ...line, buttons: buttons.map((b) => b.title) } : line)));
    if (!noTimerPending) result.trace.push({ event: simulation.events, steps: stepped.trace, failed: stepped.failed });
    result.effects.push(...stepped.effects);
  }
  result.state = simulation.state;
  return result;
}
