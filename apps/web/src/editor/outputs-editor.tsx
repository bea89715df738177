'use client';

import { defaultRegistry, type FlowDocument, type FlowNode, type FlowOperation } from '@signalbox/nodes';
import { connectOperation, drawnPorts } from './node-model.ts';

/**
 * Where each output of a node leads, as selects: connecting without dragging (keyboard users, and nodes far
 * apart on a big canvas). Choosing a node connects the output, replacing its old connection.
 */
export function OutputsEditor({ document, node, readOnly, apply }: { document: FlowDocument; node: FlowNode; readOnly: boolean; apply(op: FlowOperation): void }) {
  const ports = drawnPorts(defaultRegistry.get(node.type), node, document.edges);
  if (ports.length === 0) return null;
  const targets = document.nodes.filter((n) => n.id !== node.id && defaultRegistry.get(n.type)?.entry !== true);
  const label = (n: FlowNode) => `${defaultRegistry.get(n.type)?.title ?? n.type} · ${n.id}`;
  return (
    <section className="space-y-2 border-t border-slate-200 p-4" aria-label="Outputs">
      <h3 className="text-sm font-medium text-slate-700">Outputs</h3>
      {ports.map((port) => {
        const edge = document.edges.find((e) => e.source === node.id && e.sourceHandle === port.id);
        const id = `output-${port.id}`;
        return (
          <div key={port.id} className="flex items-center gap-2">
            <label htmlFor={id} className="w-28 shrink-0 truncate text-xs text-slate-600" title={port.label}>
              {port.label} →
            </label>
            <select
              id={id}
              disabled={readOnly}
              value={edge?.target ?? ''}
              onChange={(e) => {
                const target = e.target.value;
                if (target === '') {
                  if (edge) apply({ type: 'remove', edgeIds: [edge.id] });
                  return;
                }
                apply(connectOperation(document, node.id, port.id, target));
              }}
              className="block w-full rounded-md border-0 py-1 pl-2 pr-8 text-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600 disabled:bg-slate-50"
            >
              <option value="">— not connected —</option>
              {targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {label(t)}
                </option>
              ))}
            </select>
          </div>
        );
      })}
    </section>
  );
}
