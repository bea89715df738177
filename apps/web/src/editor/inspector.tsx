'use client';

import { defaultRegistry, type FlowDocument, type FlowOperation, type ValidationIssue } from '@signalbox/nodes';
import { useMemo } from 'react';
import { Button } from '../ui/primitives.tsx';
import { ConfigForm } from './inspector/ConfigForm.tsx';
import { describeForm } from './inspector/form-model.ts';
import { CATEGORY_STYLE, NodeIcon } from './icons.tsx';
import { OutputsEditor } from './outputs-editor.tsx';
import { VariablesEditor } from './variables-editor.tsx';

/** Names every template can use besides the flow's own variables. */
const BUILTIN_NAMES = ['message.text', 'contact.name', 'contact.id', 'conversation.channel', 'conversation.language', 'lastError'];

/** What a template in this flow may reference: declared variables, variables nodes write, and built-ins. */
export function templateNames(document: FlowDocument): string[] {
  const names = new Set(document.variables.map((v) => v.name));
  for (const node of document.nodes) {
    const definition = defaultRegistry.get(node.type);
    const parsed = definition?.config.safeParse(node.data);
    if (definition?.writes && parsed?.success) for (const name of definition.writes(parsed.data)) names.add(name);
  }
  return [...names, ...BUILTIN_NAMES];
}

interface InspectorProps {
  document: FlowDocument;
  nodeId: string | null;
  issues: readonly ValidationIssue[];
  focusPath: string | null;
  readOnly: boolean;
  apply(op: FlowOperation, coalesceKey?: string): void;
  onDuplicate(nodeIds: string[]): void;
}

export function Inspector({ document, nodeId, issues, focusPath, readOnly, apply, onDuplicate }: InspectorProps) {
  const node = nodeId ? document.nodes.find((n) => n.id === nodeId) : undefined;
  const definition = node ? defaultRegistry.get(node.type) : undefined;
  const form = useMemo(() => (definition ? describeForm(definition.config) : null), [definition]);
  // Plus the names only this node's templates know (an ask-question's retry message may say {{question}}).
  const variables = useMemo(() => [...templateNames(document), ...(definition?.templateNames ?? [])], [document, definition]);
  const errors = useMemo(() => new Map(issues.filter((i) => i.nodeId === nodeId && i.code === 'invalid-config' && i.field !== undefined).map((i) => [i.field ?? '', i.message])), [issues, nodeId]);

  if (!node) {
    return (
      <div className="space-y-4 p-4">
        <div>
          <h2 className="text-sm font-semibold text-slate-900">Flow variables</h2>
          <p className="mt-1 text-xs text-slate-500">Select a node to edit it. Variables declared here can be used in any template as {'{{name}}'}.</p>
        </div>
        <VariablesEditor variables={document.variables} readOnly={readOnly} onChange={(next) => apply({ type: 'set-variables', variables: next }, 'variables')} />
      </div>
    );
  }

  const style = CATEGORY_STYLE[definition?.category ?? 'flow'];
  const others = issues.filter((i) => i.nodeId === node.id && i.code !== 'invalid-config');
  return (
    <div className="flex min-h-0 flex-col">
      <div className="border-b border-slate-200 p-4">
        <div className="flex items-center gap-2">
          <span className={`flex size-7 items-center justify-center rounded-md ${style?.chip ?? ''}`}>
            <NodeIcon name={definition?.icon ?? 'note'} />
          </span>
          <div className="min-w-0">
            <h2 className="truncate text-sm font-semibold text-slate-900">{definition?.title ?? node.type}</h2>
            <p className="truncate font-mono text-[11px] text-slate-400" title="Node id">
              {node.id}
            </p>
          </div>
          {!readOnly && (
            <div className="ml-auto flex gap-1">
              <Button size="sm" tone="ghost" onClick={() => onDuplicate([node.id])}>
                Duplicate
              </Button>
              <Button size="sm" tone="ghost" onClick={() => apply({ type: 'remove', nodeIds: [node.id] })} aria-label="Delete node">
                Delete
              </Button>
            </div>
          )}
        </div>
        {definition && <p className="mt-2 text-xs leading-relaxed text-slate-500">{definition.description}</p>}
        {others.length > 0 && (
          <ul className="mt-3 space-y-1">
            {others.map((i, n) => (
              <li key={n} className={`rounded px-2 py-1 text-xs ${i.severity === 'error' ? 'bg-red-50 text-red-700' : 'bg-amber-50 text-amber-800'}`}>
                {i.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="p-4">
        {form ? (
          <ConfigForm
            key={node.id}
            form={form}
            value={node.data}
            onChange={(next, coalesceKey) => {
              if (next && typeof next === 'object' && !Array.isArray(next)) apply({ type: 'update-node-data', nodeId: node.id, data: next as Record<string, unknown> }, `data:${node.id}:${coalesceKey}`);
            }}
            errors={errors}
            variables={variables}
            focusPath={focusPath}
            readOnly={readOnly}
          />
        ) : (
          <p className="text-sm text-red-700">This node’s type “{node.type}” is unknown to this version of Signalbox; delete it or import the flow where it was made.</p>
        )}
      </div>
      <OutputsEditor document={document} node={node} readOnly={readOnly} apply={apply} />
    </div>
  );
}
