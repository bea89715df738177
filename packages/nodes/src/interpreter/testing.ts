/**
 * Builds flows and inputs for interpreter tests: a flow from a compact description, customer messages, timers,
 * and a conversation that threads state through `step()` with an injected clock, random and services.
 * Imported by tests only.
 */
import type { AiServices } from '../ai.ts';
import type { ContactView, ConversationView, Effect, FlowInput, FlowRef, FlowState, HttpRequest, HttpResponse, Services } from '../define.ts';
import { FlowDocument } from '../flow/document.ts';
import type { NodeRegistry } from '../nodes/registry.ts';
import { MessageEvent, type MessageContent } from '../schemas/events.ts';
import { outboundText } from '../schemas/outbound.ts';
import { MessageTemplate, type MessageTemplateInput, type TemplateStore } from '../templates/message-template.ts';
import type { WordListService } from '../word-lists.ts';
import { conversationChanges } from './effects.ts';
import { step, type StepResult } from './step.ts';

export interface NodeSpec {
  type: string;
  data?: Record<string, unknown>;
}

export interface VariableSpec {
  name: string;
  default?: unknown;
}

/**
 * `flow({ start: { type: 'start' }, hi: { type: 'send-message', data: { text: 'Hi' } } }, ['start -> hi'])`.
 * An edge is `source -> target` (the `next` port) or `source.port -> target`. The result is parsed by the real
 * `FlowDocument` schema, so defaults apply exactly as they do for a stored flow.
 */
export function flow(nodes: Record<string, NodeSpec>, edges: readonly string[] = [], variables: readonly VariableSpec[] = []): FlowDocument {
  return FlowDocument.parse({
    schemaVersion: 1,
    nodes: Object.entries(nodes).map(([id, spec], i) => ({ id, type: spec.type, position: { x: 0, y: i * 100 }, data: spec.data ?? {} })),
    edges: edges.map((text, i) => {
      const match = /^\s*([^\s.]+)(?:\.(\S+))?\s*->\s*(\S+)\s*$/.exec(text);
      if (!match) throw new Error(`edge "${text}" is not "source -> target" or "source.port -> target"`);
      const [, source, port, target] = match;
      return { id: `e${i + 1}`, source, sourceHandle: port ?? 'next', target };
    }),
    variables,
  });
}

/** A customer message; `content` is plain text or any normalized content. Parsed by the real `MessageEvent` schema. */
export function message(content: string | MessageContent, overrides: Partial<Omit<MessageEvent, 'content'>> = {}): FlowInput {
  return {
    kind: 'message',
    message: MessageEvent.parse({
      kind: 'message',
      id: 'evt-1',
      channelType: 'telegram',
      timestamp: '2025-01-06T10:00:00Z',
      thread: { id: 'thread-1' },
      messageId: 'msg-1',
      from: { id: 'user-1' },
      raw: {},
      content: typeof content === 'string' ? { type: 'text', text: content } : content,
      ...overrides,
    }),
  };
}

/** A reply made by tapping a button (WhatsApp interactive reply, Telegram callback). */
export function buttonReply(id: string, title: string): FlowInput {
  return message({ type: 'interactive', id, title, kind: 'button' });
}

export function timer(token: string): FlowInput {
  return { kind: 'timer', token };
}

export const conversationStarted: FlowInput = { kind: 'conversation-started' };

/** The platform refused, for good, the message `nodeId` sent (of the jumped-to flow `flowId`, when given). */
export function deliveryFailed(nodeId: string, error = '131047: Re-engagement message', options: { flowId?: string; messageId?: string } = {}): FlowInput {
  return { kind: 'delivery-failed', nodeId, flowId: options.flowId ?? null, messageId: options.messageId ?? 'out-1', error };
}

/** Language services that fail the test when called: a test that needs one passes its own (`ai` option). */
export const noAi: AiServices = {
  detectLanguage: () => Promise.reject(new Error('this test expects no language detection')),
  classifyIntent: () => Promise.reject(new Error('this test expects no intent classification')),
  detectEmotion: () => Promise.reject(new Error('this test expects no emotion detection')),
  translate: () => Promise.reject(new Error('this test expects no translation')),
  answerFromKnowledge: () => Promise.reject(new Error('this test expects no knowledge search')),
  answerWithLlm: () => Promise.reject(new Error('this test expects no LLM answer')),
};

/** A workspace without templates: every id names none. */
export const noTemplates: TemplateStore = { get: () => Promise.resolve(null) };

/** Word lists that fail the test when used: a test that needs them passes its own (`wordLists` option). */
export const noWordLists: WordListService = { check: () => Promise.reject(new Error('this test expects no word check')) };

export const noServices: Services = {
  http: () => Promise.reject(new Error('this test expects no HTTP request')),
  ai: noAi,
  templates: noTemplates,
  wordLists: noWordLists,
  loadFlow: () => Promise.resolve(null),
};

export interface ConversationOptions {
  /** ISO time or Date the clock shows; change it later with `conversation.now = ...`. */
  now?: string | Date;
  random?: () => number;
  contact?: Partial<ContactView>;
  conversation?: Partial<ConversationView>;
  /** Answers the flow's HTTP requests; every request is also kept in `requests`. */
  http?: (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;
  /** The language services the flow's nodes call; the others fail the test. */
  ai?: Partial<AiServices>;
  /** Checks words against the workspace's lists. */
  wordLists?: WordListService;
  /** The workspace's message templates, by id. */
  templates?: Record<string, MessageTemplateInput>;
  /** Published flows a jump may load, by flow id. */
  flows?: Record<string, FlowDocument>;
  maxSteps?: number;
  state?: FlowState | null;
  /** Node types the flow may use; the core nodes when absent. */
  registry?: NodeRegistry;
}

export interface TestConversation {
  /** Runs one input through `step()` and keeps the resulting state for the next one. */
  send(input: FlowInput): Promise<StepResult>;
  state: FlowState | null;
  now: Date;
  readonly requests: HttpRequest[];
  readonly loaded: string[];
  readonly contact: ContactView;
  readonly conversation: ConversationView;
}

export function converse(document: FlowDocument, options: ConversationOptions = {}): TestConversation {
  const requests: HttpRequest[] = [];
  const loaded: string[] = [];
  const services: Services = {
    http: async (request) => {
      requests.push(request);
      if (!options.http) throw new Error('this test expects no HTTP request');
      return options.http(request);
    },
    ai: { ...noAi, ...options.ai },
    wordLists: options.wordLists ?? noWordLists,
    templates: {
      get: async (id) => {
        const found = options.templates?.[id];
        return found ? { id, ...MessageTemplate.parse(found) } : null;
      },
    },
    loadFlow: async (flowId) => {
      loaded.push(flowId);
      const found = options.flows?.[flowId];
      const ref: FlowRef = { flowId, versionId: `${flowId}-v1` };
      return found ? { ref, document: found } : null;
    },
  };
  const contact: ContactView = { id: 'contact-1', name: 'Ada', attributes: {}, ...options.contact };
  const conversation: ConversationView = { id: 'conv-1', channelId: 'channel-1', channelType: 'telegram', language: 'en', tags: [], ...options.conversation };
  const self: TestConversation = {
    state: options.state ?? null,
    now: new Date(options.now ?? '2025-01-06T10:00:00Z'),
    requests,
    loaded,
    contact,
    conversation,
    async send(input) {
      const result = await step({
        document,
        state: self.state,
        input,
        conversation,
        contact,
        services,
        clock: () => self.now,
        random: options.random ?? (() => 0.5),
        maxSteps: options.maxSteps,
        registry: options.registry,
      });
      self.state = result.state;
      const { language } = conversationChanges(conversation.tags, result.effects);
      if (language) conversation.language = language;
      return result;
    },
  };
  return self;
}

/** Runs one input against a fresh conversation. */
export async function runOnce(document: FlowDocument, input: FlowInput, options: ConversationOptions = {}): Promise<StepResult> {
  return converse(document, options).send(input);
}

/** The texts (or captions) of the messages a step sends, in order. */
export function sentTexts(result: StepResult): string[] {
  return result.effects.flatMap((e) => (e.type === 'send' ? [outboundText(e.message)] : []));
}

export function effectsOf<T extends Effect['type']>(result: StepResult, type: T): Extract<Effect, { type: T }>[] {
  return result.effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
}

/** The path a step took, as `node` or `node.port` for nodes that left by a port. */
export function path(result: StepResult): string[] {
  return result.trace.map((t) => (t.port ? `${t.nodeId}.${t.port}` : t.nodeId));
}
