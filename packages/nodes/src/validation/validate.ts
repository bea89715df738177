import { ERROR_PORT, type NodeDefinition, type Port } from '../define.ts';
import type { FlowDocument, FlowNode } from '../flow/document.ts';
import { defaultRegistry, type NodeRegistry } from '../nodes/registry.ts';
import { templateReferences } from '../templates/template.ts';

export interface ValidationIssue {
  severity: 'error' | 'warning';
  code:
    | 'no-entry'
    | 'many-entries'
    | 'unknown-type'
    | 'invalid-config'
    | 'dangling-edge'
    | 'unknown-port'
    | 'duplicate-id'
    | 'unreachable'
    | 'undefined-variable'
    | 'loop-without-wait'
    | 'unconnected-port';
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** Path inside the node's config (`branches.0.rules.0.value`), so the editor can focus the field. */
  field?: string;
}

export interface ValidationReport {
  ok: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
}

/** Roots every template may read without declaring them (`delivery` is set on a send's "Not delivered" branch). */
const BUILTIN_ROOTS = new Set(['contact', 'conversation', 'message', 'vars', 'lastError', 'delivery']);

/** A node's output ports, error port included; `config` is the output of `definition.config.safeParse`. */
export function portsOf(definition: NodeDefinition, config: unknown): Port[] {
  const ports = definition.ports(config);
  return definition.hasErrorPort ? [...ports, { ...ERROR_PORT, label: definition.errorPortLabel ?? ERROR_PORT.label }] : ports;
}

function collectStrings(value: unknown, path: string, out: { path: string; text: string }[]) {
  if (typeof value === 'string') out.push({ path, text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => collectStrings(v, path ? `${path}.${i}` : String(i), out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) collectStrings(v, path ? `${path}.${k}` : k, out);
}

/** Checks a flow before publish. Errors block publishing; warnings are shown but do not. */
export function validateFlow(document: FlowDocument, registry: NodeRegistry = defaultRegistry): ValidationReport {
  const issues: ValidationIssue[] = [];
  const nodes = new Map<string, FlowNode>();
  const parsedConfig = new Map<string, unknown>();
  const ports = new Map<string, Port[]>();

  for (const node of document.nodes) {
    if (nodes.has(node.id)) issues.push({ severity: 'error', code: 'duplicate-id', nodeId: node.id, message: `two nodes share the id "${node.id}"` });
    nodes.set(node.id, node);
    const definition = registry.get(node.type);
    if (!definition) {
      issues.push({ severity: 'error', code: 'unknown-type', nodeId: node.id, field: 'type', message: `unknown node type "${node.type}"` });
      continue;
    }
    const parsed = definition.config.safeParse(node.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ severity: 'error', code: 'invalid-config', nodeId: node.id, field: issue.path.join('.'), message: issue.message });
      }
      continue;
    }
    parsedConfig.set(node.id, parsed.data);
    ports.set(node.id, portsOf(definition, parsed.data));
  }

  const entries = document.nodes.filter((n) => registry.get(n.type)?.entry);
  if (entries.length === 0) issues.push({ severity: 'error', code: 'no-entry', message: 'the flow needs a Start node' });
  if (entries.length > 1) {
    for (const e of entries.slice(1)) issues.push({ severity: 'error', code: 'many-entries', nodeId: e.id, message: 'a flow has exactly one Start node' });
  }

  const edgeIds = new Set<string>();
  const outgoing = new Map<string, string[]>();
  for (const edge of document.edges) {
    if (edgeIds.has(edge.id)) issues.push({ severity: 'error', code: 'duplicate-id', edgeId: edge.id, message: `two edges share the id "${edge.id}"` });
    edgeIds.add(edge.id);
    if (!nodes.has(edge.source) || !nodes.has(edge.target)) {
      const missing = nodes.has(edge.source) ? edge.target : edge.source;
      issues.push({ severity: 'error', code: 'dangling-edge', edgeId: edge.id, message: `edge ${edge.id} points to a missing node "${missing}"` });
      continue;
    }
    const sourcePorts = ports.get(edge.source);
    if (sourcePorts && !sourcePorts.some((p) => p.id === edge.sourceHandle)) {
      issues.push({
        severity: 'error',
        code: 'unknown-port',
        edgeId: edge.id,
        nodeId: edge.source,
        message: `node ${edge.source} has no output "${edge.sourceHandle}"`,
      });
      continue;
    }
    outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge.target]);
  }

  // Reachability from the entry.
  const reachable = new Set<string>();
  const queue = entries[0] ? [entries[0].id] : [];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (reachable.has(id)) continue;
    reachable.add(id);
    queue.push(...(outgoing.get(id) ?? []));
  }
  if (entries[0]) {
    for (const node of document.nodes) {
      if (!reachable.has(node.id)) issues.push({ severity: 'warning', code: 'unreachable', nodeId: node.id, message: 'no path from Start reaches this node' });
    }
  }

  // Unconnected ports are allowed (the flow ends there) but worth a look on branching nodes. The error port is
  // no branch: a send that ends the flow has it too, and leaving it unconnected is the normal case.
  for (const node of document.nodes) {
    const outputs = (ports.get(node.id) ?? []).filter((p) => p.id !== ERROR_PORT.id);
    if (outputs.length < 2) continue;
    const used = new Set(document.edges.filter((e) => e.source === node.id).map((e) => e.sourceHandle));
    for (const port of outputs) {
      if (!used.has(port.id) && reachable.has(node.id)) {
        issues.push({ severity: 'warning', code: 'unconnected-port', nodeId: node.id, field: port.id, message: `output "${port.label}" leads nowhere: the flow ends there` });
      }
    }
  }

  // Variables: declared, or written by some node.
  const defined = new Set(document.variables.map((v) => v.name));
  for (const node of document.nodes) {
    const definition = registry.get(node.type);
    const config = parsedConfig.get(node.id);
    if (definition?.writes && config !== undefined) for (const name of definition.writes(config)) defined.add(name);
  }
  for (const node of document.nodes) {
    const strings: { path: string; text: string }[] = [];
    collectStrings(node.data, '', strings);
    const local = new Set(registry.get(node.type)?.templateNames ?? []);
    for (const { path, text } of strings) {
      for (const ref of templateReferences(text)) {
        const root = ref.split('.')[0] ?? ref;
        if (!BUILTIN_ROOTS.has(root) && !defined.has(root) && !local.has(root)) {
          issues.push({ severity: 'error', code: 'undefined-variable', nodeId: node.id, field: path, message: `{{${ref}}} uses a variable no node sets and the flow does not declare` });
        }
      }
    }
  }

  // Loops must pass through a node that waits, or one message could run the flow forever.
  for (const cycle of cyclesOf([...nodes.keys()], outgoing)) {
    if (!cycle.some((id) => registry.get(nodes.get(id)?.type ?? '')?.waits)) {
      issues.push({
        severity: 'error',
        code: 'loop-without-wait',
        nodeId: cycle[0],
        message: `loop ${cycle.join(' -> ')} has no node that waits for the customer or a timer`,
      });
    }
  }

  const errors = issues.filter((i) => i.severity === 'error');
  return { ok: errors.length === 0, errors, warnings: issues.filter((i) => i.severity === 'warning') };
}

/** Strongly connected components with a cycle in them (Tarjan), each as a list of node ids. */
function cyclesOf(ids: string[], outgoing: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of outgoing.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, indices.get(w) as number));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = component.length === 1 && (outgoing.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) result.push(component.reverse());
    }
  };
  for (const id of ids) if (!indices.has(id)) visit(id);
  return result;
}
