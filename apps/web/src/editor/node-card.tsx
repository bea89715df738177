'use client';

import { Handle, Position, useUpdateNodeInternals, type Node, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useRef } from 'react';
import type { FlowNode, Port } from '@signalbox/nodes';
import { CATEGORY_STYLE, NodeIcon } from './icons.tsx';
import { cardWidth } from './auto-layout.ts';
import { useWorkspaceOptions } from './inspector/workspace-options.tsx';

/** A send-message node names its template by id: the card says which one, or that it was deleted. */
function useTemplateSummary(node: FlowNode): string | null {
  const templates = useWorkspaceOptions('message-templates');
  const id = node.type === 'send-message' ? node.data.template : undefined;
  if (typeof id !== 'string' || !templates || templates.loading) return null;
  const name = templates.options.find((o) => o.value === id)?.label;
  return name ? `Sends template ${name}` : 'Its template was deleted: pick another';
}

/** How a node is marked on the canvas: by a preview run, a version diff, or not at all. */
export type Mark = { kind: 'path'; steps: number[]; current: boolean } | { kind: 'added' | 'changed' | 'removed' } | null;

export type CardData = {
  node: FlowNode;
  title: string;
  icon: string;
  category: string;
  summary: string;
  ports: Port[];
  entry: boolean;
  errors: number;
  warnings: number;
  mark: Mark;
  readOnly: boolean;
};

export type CardNode = Node<CardData, 'flow'>;

const MARK_RING: Record<string, string> = {
  added: 'ring-2 ring-emerald-500',
  changed: 'ring-2 ring-amber-500',
  removed: 'ring-2 ring-red-400 opacity-60 border-dashed',
};

function markRing(mark: Mark, selected: boolean): string {
  // A diff's colour says more than the selection while two versions are compared.
  if (mark && mark.kind !== 'path') return MARK_RING[mark.kind] ?? '';
  if (selected) return 'ring-2 ring-indigo-500';
  if (!mark) return '';
  return mark.current ? 'ring-2 ring-indigo-500 shadow-indigo-200 shadow-lg' : 'ring-2 ring-indigo-300';
}

export const NodeCard = memo(function NodeCard({ id, data, selected }: NodeProps<CardNode>) {
  const summary = useTemplateSummary(data.node) ?? data.summary;
  const style = CATEGORY_STYLE[data.category] ?? CATEGORY_STYLE.flow;
  const ports = data.ports;
  // React Flow measures handles when a node mounts or resizes; a branch added to a condition adds a handle
  // without resizing the node, and a handle React Flow has not measured cannot start a connection.
  // Only on a change after mount: mounting measures anyway, and 500 mounts each asking would redo it 500 times.
  const updateNodeInternals = useUpdateNodeInternals();
  const portKey = ports.map((p) => p.id).join('|');
  const measuredPorts = useRef(portKey);
  useEffect(() => {
    if (measuredPorts.current === portKey) return;
    measuredPorts.current = portKey;
    updateNodeInternals(id);
  }, [id, portKey, updateNodeInternals]);
  return (
    <div
      data-testid={`node-${data.node.id}`}
      data-node-type={data.node.type}
      data-mark={data.mark?.kind ?? undefined}
      className={`rounded-lg border border-slate-200 border-t-4 bg-white text-left shadow-sm ${style?.accent ?? ''} ${markRing(data.mark, selected)}`}
      style={{ width: cardWidth(ports.length, data.title) }}
    >
      {!data.entry && <Handle type="target" position={Position.Top} id="in" className="!size-3 !border-2 !border-white !bg-slate-400" />}
      <div className="flex items-start gap-2 px-3 pt-2.5 pb-2">
        <span className={`mt-0.5 flex size-6 shrink-0 items-center justify-center rounded-md ${style?.chip ?? ''}`}>
          <NodeIcon name={data.icon} className="size-3.5" />
        </span>
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-1.5">
            <span className="truncate text-sm font-semibold text-slate-900" title={data.title} data-node-title>
              {data.title}
            </span>
            {data.errors > 0 && (
              <span className="ml-auto rounded-full bg-red-100 px-1.5 text-[10px] font-semibold text-red-700" title={`${data.errors} error(s)`}>
                {data.errors}
              </span>
            )}
            {data.errors === 0 && data.warnings > 0 && (
              <span className="ml-auto rounded-full bg-amber-100 px-1.5 text-[10px] font-semibold text-amber-800" title={`${data.warnings} warning(s)`}>
                !
              </span>
            )}
            {data.mark?.kind === 'path' && (
              <span className="ml-auto rounded-full bg-indigo-600 px-1.5 text-[10px] font-semibold text-white" title="Preview steps">
                {data.mark.steps.join(',')}
              </span>
            )}
          </div>
          <p className="mt-0.5 line-clamp-2 text-xs leading-snug text-slate-500">{summary || '\u00a0'}</p>
        </div>
      </div>
      {ports.length > 0 && (
        <div className="flex border-t border-slate-100">
          {ports.map((port) => (
            // No overflow clipping here: the handle sits half outside the card, and a clipped half would not take the pointer.
            <div key={port.id} className="relative min-w-0 flex-1 px-1 pt-1 pb-2 text-center text-[10px] font-medium text-slate-500" title={port.label}>
              <span className="block truncate">{port.label}</span>
              <Handle
                type="source"
                position={Position.Bottom}
                id={port.id}
                data-port={port.id}
                className={`!size-3 !border-2 !border-white ${port.id === 'error' ? '!bg-red-400' : '!bg-indigo-500'}`}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
});
