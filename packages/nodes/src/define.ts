import { z } from 'zod';
import type { AiServices } from './ai.ts';
import type { MessageEvent } from './schemas/events.ts';
import type { OutboundMessage } from './schemas/outbound.ts';
import type { TemplateStore } from './templates/message-template.ts';
import type { WordListService } from './word-lists.ts';
import type { FlowDocument, FlowNode } from './flow/document.ts';

export interface Port {
  id: string;
  label: string;
}

/**
 * Every node may route failures to this port; when it is not connected a failure ends the run. A send's delivery
 * failure, which arrives later as its own input, reaches it too (and changes nothing when it is not connected).
 */
export const ERROR_PORT: Port = { id: 'error', label: 'Error' };

/** A port id a node's config declares (a condition's branch, an A/B variant); edges name it as `sourceHandle`. */
export const PortId = z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _');

export type NodeCategory = 'trigger' | 'logic' | 'messaging' | 'data' | 'integration' | 'human' | 'flow';

export interface ConversationView {
  id: string;
  channelId: string;
  channelType: string;
  language?: string | null;
  tags: string[];
}

export interface ContactView {
  id: string;
  name?: string | null;
  attributes: Record<string, unknown>;
}

/** What makes the interpreter take a step. */
export type FlowInput =
  | { kind: 'message'; message: MessageEvent }
  | { kind: 'timer'; token: string }
  | { kind: 'conversation-started' }
  /**
   * A platform refused a message for good (the sender gave up, or a receipt said `failed`). `nodeId` is the node
   * that sent it; `flowId` the flow it belongs to when that was a jumped-to flow, null for the conversation's own.
   */
  | { kind: 'delivery-failed'; nodeId: string; flowId: string | null; messageId: string; error: string };

export type Effect =
  /** `flowId` is set when the node belongs to a jumped-to flow, so a delivery failure finds its way back to it. */
  | { type: 'send'; nodeId: string; flowId?: string; message: OutboundMessage }
  | { type: 'set-contact-attribute'; key: string; value: unknown }
  | { type: 'tag'; tag: string; action: 'add' | 'remove' }
  /** The customer's language (ISO 639-1) as detected: later nodes, replies and agents go by it. */
  | { type: 'set-language'; language: string }
  | { type: 'schedule-timer'; token: string; nodeId: string; dueAt: string }
  | { type: 'cancel-timer'; token: string }
  | { type: 'handoff'; team: string; priority: 'low' | 'normal' | 'high' | 'urgent'; note: string }
  | { type: 'close' };

export interface Cursor {
  nodeId: string;
  wait: 'reply' | 'timer';
  /** The token of the timer this node waits for (a delay, or a question's timeout). */
  token?: string;
  /** Times the node has re-asked (ask question). */
  attempts: number;
}

export interface FlowRef {
  flowId: string;
  versionId: string;
}

export interface FlowState {
  cursor: Cursor | null;
  variables: Record<string, unknown>;
  status: 'active' | 'handed-off' | 'closed';
  /** Set after a jump: the flow now executing, instead of the conversation's pinned one. */
  current: FlowRef | null;
  /** Counter for timer tokens, so tokens are deterministic. */
  seq: number;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** All I/O the interpreter may do; the runner, the editor preview and tests each inject their own. */
export interface Services {
  http(request: HttpRequest): Promise<HttpResponse>;
  /** Language detection, intents, emotion, translation. */
  ai: AiServices;
  /** The workspace's message templates. */
  templates: TemplateStore;
  /** The workspace's sensitive-word lists. */
  wordLists: WordListService;
  loadFlow(flowId: string): Promise<{ ref: FlowRef; document: FlowDocument } | null>;
}

/** What differs between workspaces: a worker builds these per conversation's workspace. */
export type WorkspaceServices = Pick<Services, 'ai' | 'templates' | 'wordLists'>;

export interface RunContext {
  node: FlowNode;
  input: FlowInput;
  /** The customer message being handled, when the input is one. */
  message: MessageEvent | undefined;
  conversation: ConversationView;
  contact: ContactView;
  variables: Record<string, unknown>;
  cursor: Cursor | null;
  now: Date;
  random(): number;
  services: Services;
  /**
   * Renders `{{variables}}`; `encode` escapes substituted values (URLs); `local` adds names only this node's
   * templates know (declared in `templateNames`, so the validator accepts them).
   */
  render(template: string, encode?: (value: string) => string, local?: Record<string, unknown>): string;
  emit(effect: Effect): void;
  setVariable(name: string, value: unknown): void;
  newToken(): string;
  /** Schedules a timer for this node `seconds` from now and returns its token. */
  scheduleTimer(seconds: number): string;
}

export type NodeOutcome =
  | { kind: 'next'; port: string }
  | { kind: 'wait'; wait: 'reply' | 'timer'; token?: string; attempts?: number }
  | { kind: 'end'; reason: string }
  | { kind: 'error'; message: string }
  /** Continue in another flow from its start; the interpreter loads it, since only it can switch documents. */
  | { kind: 'jump'; flowId: string };

export interface NodeDefinition<C extends z.ZodType = z.ZodType> {
  type: string;
  typeVersion: number;
  category: NodeCategory;
  title: string;
  description: string;
  icon: string;
  config: C;
  /** Output ports; may depend on config (a condition has one per branch). The error port is added by `hasErrorPort`. */
  ports(config: z.infer<C>): Port[];
  hasErrorPort: boolean;
  /** The error port's label in the editor, when "Error" says less than it could ("Not delivered"). */
  errorPortLabel?: string;
  /** The flow's entry point. */
  entry?: boolean;
  /** Stops and waits for a reply or a timer; the validator allows loops only through such nodes. */
  waits?: boolean;
  /** Names this node's own templates may use besides the flow's variables (filled in through `render`'s `local`). */
  templateNames?: readonly string[];
  /** Variables this node writes, for the validator's undefined-variable check. */
  writes?(config: z.infer<C>): string[];
  run(ctx: RunContext, config: z.infer<C>): NodeOutcome | Promise<NodeOutcome>;
  /** Called instead of `run` when the flow was waiting on this node. */
  resume?(ctx: RunContext, config: z.infer<C>, cursor: Cursor): NodeOutcome | Promise<NodeOutcome>;
}

/** Declares a node type once: its config schema drives the editor form, validation and runtime parsing. */
export function defineNode<C extends z.ZodType>(definition: NodeDefinition<C>): NodeDefinition {
  // `run(ctx, config: z.infer<C>)` makes it unassignable to `NodeDefinition`; every caller passes `config.safeParse` output.
  return definition as unknown as NodeDefinition;
}

export const next = (port = 'next'): NodeOutcome => ({ kind: 'next', port });
