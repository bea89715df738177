import { portsOf, type FlowDocument, type FlowNode, type FlowOperation, type NodeDefinition, type Port, type ValidationIssue, type ValidationReport } from '@signalbox/nodes';

/**
 * A node's output ports as the canvas draws them. A node whose config does not parse yet (a branch with no rule
 * value) still shows the ports it had, so its edges stay visible while the user fixes it.
 */
export function drawnPorts(definition: NodeDefinition | undefined, node: FlowNode, edges: FlowDocument['edges']): Port[] {
  const fromEdges = () => [...new Set(edges.filter((e) => e.source === node.id).map((e) => e.sourceHandle))].map((id) => ({ id, label: id }));
  if (!definition) return fromEdges();
  const parsed = definition.config.safeParse(node.data);
  if (parsed.success) return portsOf(definition, parsed.data);
  try {
    // The raw config usually has the shape `ports` reads (branch ids and labels) even when a field is invalid.
    const ports = portsOf(definition, node.data);
    if (ports.every((p) => typeof p.id === 'string' && p.id !== '' && typeof p.label === 'string')) return ports;
  } catch {
    // Falls through: the config is too broken to derive ports from.
  }
  return fromEdges();
}

const clip = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** One line under a node's title saying what it does, from its config. */
export function summaryOf(node: FlowNode): string {
  const d = node.data;
  const text = (key: string) => (typeof d[key] === 'string' ? d[key] : '');
  const list = (key: string) => (Array.isArray(d[key]) ? d[key] : []);
  switch (node.type) {
    case 'start':
      return d.trigger === 'conversation-started' ? 'When a conversation starts' : 'When a message arrives';
    case 'send-message':
      if (text('template')) return 'Sends a saved template';
      return clip(text('text')) || (d.media ? 'Sends media' : 'No message yet');
    case 'sensitive-words':
      return list('lists').length === 0 ? 'No word list chosen' : `Checks ${list('lists').length} word list${list('lists').length === 1 ? '' : 's'}`;
    case 'ask-question':
      return clip(text('question')) || 'No question yet';
    case 'condition':
      return `${list('branches').length} branch${list('branches').length === 1 ? '' : 'es'} + else`;
    case 'ab-split':
      return `${list('variants').length} variants`;
    case 'set':
      return clip(list('assignments').map((a: unknown) => (a && typeof a === 'object' && 'name' in a && typeof a.name === 'string' ? a.name : '?')).join(', ')) || 'Nothing set yet';
    case 'http-request':
      return clip(`${text('method') || 'GET'} ${text('url')}`);
    case 'delay':
      return typeof d.seconds === 'number' ? `Waits ${formatSeconds(d.seconds)}` : 'No delay set';
    case 'handoff':
      return text('team') ? `To ${text('team')}` : 'No team yet';
    case 'jump':
      return text('flowId') ? `To flow ${text('flowId')}` : 'No flow chosen';
    case 'close':
      return 'Ends the conversation';
    default:
      return '';
  }
}

function formatSeconds(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** An id like `send-message-3` that no node in `taken` has. */
export function uniqueId(prefix: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n += 1) {
    const id = `${prefix}-${n}`;
    if (!taken.has(id)) return id;
  }
}

export interface NodeIssues {
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
}

/** Issues grouped by the node they concern, for the badges on the canvas and the inspector's inline errors. */
export function issuesByNode(report: ValidationReport): Map<string, NodeIssues> {
  const byNode = new Map<string, NodeIssues>();
  const add = (issue: ValidationIssue, kind: keyof NodeIssues) => {
    if (!issue.nodeId) return;
    const entry = byNode.get(issue.nodeId) ?? { errors: [], warnings: [] };
    entry[kind].push(issue);
    byNode.set(issue.nodeId, entry);
  };
  for (const e of report.errors) add(e, 'errors');
  for (const w of report.warnings) add(w, 'warnings');
  return byNode;
}

/** The operation that leads `source`'s output `port` to `target` (replacing its old connection), with a free edge id. */
export function connectOperation(document: FlowDocument, source: string, port: string, target: string): FlowOperation {
  const taken = new Set(document.edges.map((e) => e.id));
  return { type: 'connect', edge: { id: uniqueId(`e-${source}-${port}`, taken), source, sourceHandle: port, target, targetHandle: 'in' } };
}
