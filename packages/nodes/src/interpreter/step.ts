import {
  ERROR_PORT,
  type ContactView,
  type ConversationView,
  type Cursor,
  type Effect,
  type FlowInput,
  type FlowRef,
  type FlowState,
  type NodeDefinition,
  type NodeOutcome,
  type RunContext,
  type Services,
} from '../define.ts';
import type { FlowDocument, FlowNode } from '../flow/document.ts';
import { defaultRegistry, type NodeRegistry } from '../nodes/registry.ts';
import { contentText } from '../schemas/events.ts';
import { renderTemplate } from '../templates/template.ts';

export interface TraceEntry {
  step: number;
  at: string;
  nodeId: string;
  type: string;
  outcome: 'next' | 'wait' | 'end' | 'error' | 'ignored';
  port?: string;
  detail?: string;
  /** Variables after the node ran, only the ones it changed. */
  changed?: Record<string, unknown>;
}

export interface StepInput {
  document: FlowDocument;
  state: FlowState | null;
  input: FlowInput;
  conversation: ConversationView;
  contact: ContactView;
  services: Services;
  clock: () => Date;
  random: () => number;
  registry?: NodeRegistry;
  /** Loop guard: the most nodes one input may run. */
  maxSteps?: number;
}

export interface StepResult {
  state: FlowState;
  effects: Effect[];
  trace: TraceEntry[];
  /** The flow ran into the loop guard, a missing node or an unhandled node error. */
  failed: string | null;
}

export const DEFAULT_MAX_STEPS = 100;

export function initialState(document: FlowDocument): FlowState {
  const variables: Record<string, unknown> = {};
  for (const v of document.variables) if (v.default !== undefined) variables[v.name] = v.default;
  return { cursor: null, variables, status: 'active', current: null, seq: 0 };
}

function findEntry(document: FlowDocument, registry: NodeRegistry): FlowNode | undefined {
  return document.nodes.find((n) => registry.get(n.type)?.entry === true);
}

function follow(document: FlowDocument, nodeId: string, port: string): FlowNode | undefined {
  const edge = document.edges.find((e) => e.source === nodeId && e.sourceHandle === port);
  return edge ? document.nodes.find((n) => n.id === edge.target) : undefined;
}

/**
 * Runs a flow from where the conversation stands until it waits or ends. Pure given its inputs: all I/O goes
 * through `services`, time through `clock`, chance through `random`, so the runner, the editor's preview and
 * replays get the same answer for the same inputs.
 */
export async function step(options: StepInput): Promise<StepResult> {
  const registry = options.registry ?? defaultRegistry;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const start = options.state ?? initialState(options.document);
  const state: FlowState = structuredClone(start);
  const effects: Effect[] = [];
  const trace: TraceEntry[] = [];
  const conversation: ConversationView = { ...options.conversation, tags: [...options.conversation.tags] };
  const contact: ContactView = { ...options.contact, attributes: { ...options.contact.attributes } };
  const { input } = options;
  const message = input.kind === 'message' ? input.message : undefined;
  let document = options.document;
  let count = 0;

  const record = (node: Pick<FlowNode, 'id' | 'type'>, outcome: TraceEntry['outcome'], extra: Partial<TraceEntry> = {}) => {
    trace.push({ step: trace.length + 1, at: options.clock().toISOString(), nodeId: node.id, type: node.type, outcome, ...extra });
  };
  const finish = (failed: string | null): StepResult => ({ state, effects, trace, failed });

  if (state.status === 'handed-off') return finish(null);
  if (input.kind === 'delivery-failed' && (options.state === null || state.status === 'closed')) {
    // The run that sent the message is over (the conversation was closed); the message itself shows the failure.
    const type = options.document.nodes.find((n) => n.id === input.nodeId)?.type ?? 'unknown';
    record({ id: input.nodeId, type }, 'ignored', { detail: `not delivered (${input.error}); the flow run that sent it has ended` });
    return finish(null);
  }
  if (state.status === 'closed') Object.assign(state, initialState(options.document));

  if (state.current) {
    const loaded = await options.services.loadFlow(state.current.flowId);
    if (loaded) document = loaded.document;
  }

  const buildContext = (node: FlowNode, cursor: Cursor | null): RunContext => {
    const scope = () => ({
      ...state.variables,
      contact: { id: contact.id, name: contact.name ?? '', ...contact.attributes, attributes: contact.attributes },
      conversation: { id: conversation.id, channel: conversation.channelType, language: conversation.language ?? '', tags: conversation.tags },
      message: message ? { text: contentText(message.content), type: message.content.type, locale: message.locale ?? '' } : { text: '' },
      vars: state.variables,
    });
    const now = options.clock();
    const emit = (effect: Effect) => {
      // A send from a jumped-to flow names that flow, so its delivery failure is routed there and not to a node of
      // the same id in the conversation's own flow.
      effects.push(effect.type === 'send' && state.current ? { ...effect, flowId: state.current.flowId } : effect);
      // Nodes after a language detection in the same step see the language (a condition, a translation).
      if (effect.type === 'set-language') conversation.language = effect.language;
      if (effect.type === 'handoff') state.status = 'handed-off';
      if (effect.type === 'close') state.status = 'closed';
    };
    const newToken = () => {
      state.seq += 1;
      return `${conversation.id}:${state.seq}`;
    };
    return {
      node,
      input,
      message,
      conversation,
      contact,
      variables: state.variables,
      cursor,
      now,
      random: options.random,
      services: options.services,
      render: (template, encode, local) => renderTemplate(template, local ? { ...scope(), ...local } : scope(), encode),
      emit,
      setVariable: (name, value) => {
        state.variables[name] = value;
      },
      newToken,
      scheduleTimer: (seconds) => {
        const token = newToken();
        emit({ type: 'schedule-timer', token, nodeId: node.id, dueAt: new Date(now.getTime() + seconds * 1000).toISOString() });
        return token;
      },
    };
  };

  const runNode = async (node: FlowNode, definition: NodeDefinition, cursor: Cursor | null): Promise<NodeOutcome> => {
    const parsed = definition.config.safeParse(node.data);
    if (!parsed.success) return { kind: 'error', message: `invalid config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
    const ctx = buildContext(node, cursor);
    try {
      return cursor && definition.resume ? await definition.resume(ctx, parsed.data, cursor) : await definition.run(ctx, parsed.data);
    } catch (error) {
      return { kind: 'error', message: (error as Error).message };
    }
  };

  /** Records a node's failure; returns where its connected error port leads, or nothing when the run must fail. */
  const routeError = (node: FlowNode, definition: NodeDefinition, message: string, changed?: Record<string, unknown>): FlowNode | undefined => {
    const errorTarget = definition.hasErrorPort ? follow(document, node.id, ERROR_PORT.id) : undefined;
    record(node, 'error', { detail: message, port: errorTarget ? ERROR_PORT.id : undefined, changed });
    state.cursor = null;
    state.variables.lastError = message;
    return errorTarget;
  };

  /**
   * A platform refused a message for good. When the node that sent it has a connected error port, the flow goes on
   * from there, leaving the wait it was in (an answer to a message that never arrived may never come); returns
   * that port's target. Otherwise the trace says why and nothing changes.
   */
  const routeDeliveryFailure = async (failure: Extract<FlowInput, { kind: 'delivery-failed' }>): Promise<FlowNode | undefined> => {
    const ignore = (type: string, why: string) => {
      record({ id: failure.nodeId, type }, 'ignored', { detail: `not delivered (${failure.error}); ${why}` });
      return undefined;
    };
    let sender: { document: FlowDocument; current: FlowRef | null } | null = null;
    if (failure.flowId === null) sender = { document: options.document, current: null };
    else if (state.current?.flowId === failure.flowId) sender = { document, current: state.current };
    else {
      const loaded = await options.services.loadFlow(failure.flowId);
      if (loaded) sender = { document: loaded.document, current: loaded.ref };
    }
    if (!sender) return ignore('unknown', `flow ${String(failure.flowId)} is not published`);
    const sent = sender.document.nodes.find((n) => n.id === failure.nodeId);
    if (!sent) return ignore('unknown', `the flow has no node ${failure.nodeId}`);
    if (!registry.get(sent.type)?.hasErrorPort) return ignore(sent.type, 'the node has no error port');
    const target = follow(sender.document, sent.id, ERROR_PORT.id);
    if (!target) return ignore(sent.type, 'its error port is not connected');
    if (state.cursor?.token) effects.push({ type: 'cancel-timer', token: state.cursor.token });
    state.cursor = null;
    const before = { ...state.variables };
    state.variables.delivery = { error: failure.error, messageId: failure.messageId, nodeId: failure.nodeId };
    state.variables.lastError = failure.error;
    record(sent, 'error', { detail: `not delivered: ${failure.error}`, port: ERROR_PORT.id, changed: diffVariables(before, state.variables) });
    document = sender.document;
    state.current = sender.current;
    return target;
  };

  // Where to start: a refused send's error port, the waiting node (resumed), or the entry node.
  let node: FlowNode | undefined;
  let resuming: Cursor | null = null;
  if (input.kind === 'delivery-failed') {
    node = await routeDeliveryFailure(input);
    if (!node) return finish(null);
  } else if (state.cursor) {
    const waiting = state.cursor;
    if (input.kind === 'timer' && input.token !== waiting.token) {
      return finish(null); // a stale timer: the conversation moved on since it was set
    }
    node = document.nodes.find((n) => n.id === waiting.nodeId);
    resuming = waiting;
    if (!node) {
      state.cursor = null;
      return finish(`waiting node ${waiting.nodeId} no longer exists`);
    }
  } else {
    if (input.kind === 'timer') return finish(null);
    node = findEntry(document, registry);
    if (!node) return finish('the flow has no start node');
  }

  while (node) {
    count += 1;
    if (count > maxSteps) {
      // A runaway loop must not spam the customer: drop everything this input produced, variables included.
      effects.length = 0;
      Object.assign(state, structuredClone(start), { cursor: null });
      record(node, 'error', { detail: `loop guard: more than ${maxSteps} steps for one event` });
      return finish('loop guard');
    }
    const definition = registry.get(node.type);
    if (!definition) {
      record(node, 'error', { detail: `unknown node type "${node.type}"` });
      state.cursor = null;
      return finish(`unknown node type ${node.type}`);
    }
    const before = { ...state.variables };
    const outcome = await runNode(node, definition, resuming);
    resuming = null;
    const changed = diffVariables(before, state.variables);
    switch (outcome.kind) {
      case 'next': {
        record(node, 'next', { port: outcome.port, changed });
        state.cursor = null;
        node = follow(document, node.id, outcome.port);
        break;
      }
      case 'wait': {
        record(node, 'wait', { detail: outcome.wait, changed });
        state.cursor = { nodeId: node.id, wait: outcome.wait, token: outcome.token, attempts: outcome.attempts ?? 0 };
        return finish(null);
      }
      case 'end': {
        record(node, 'end', { detail: outcome.reason, changed });
        state.cursor = null;
        node = undefined;
        break;
      }
      case 'error': {
        const errorTarget = routeError(node, definition, outcome.message, changed);
        if (!errorTarget) return finish(outcome.message);
        node = errorTarget;
        break;
      }
      case 'jump': {
        const loaded = await options.services.loadFlow(outcome.flowId);
        const entry = loaded ? findEntry(loaded.document, registry) : undefined;
        if (!loaded || !entry) {
          const detail = loaded ? `flow ${outcome.flowId} has no start node` : `flow ${outcome.flowId} not found or not published`;
          const errorTarget = routeError(node, definition, detail, changed);
          if (!errorTarget) return finish(detail);
          node = errorTarget;
          break;
        }
        record(node, 'next', { detail: `jump to ${outcome.flowId}` });
        state.cursor = null;
        document = loaded.document;
        state.current = loaded.ref;
        node = entry;
        break;
      }
      default: {
        const unreachable: never = outcome;
        return unreachable;
      }
    }
  }
  // The flow reached its end: the next message starts it again from the top, in the conversation's own flow.
  state.cursor = null;
  state.current = null;
  return finish(null);
}

function diffVariables(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> | undefined {
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (before[key] !== value) changed[key] = value;
  }
  return Object.keys(changed).length > 0 ? changed : undefined;
}
