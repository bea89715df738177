'use client';

import { defaultRegistry, type NodeDefinition } from '@signalbox/nodes';
import { useMemo, useState } from 'react';
import { PALETTE_MIME } from './canvas.tsx';
import { CATEGORY_STYLE, NodeIcon } from './icons.tsx';

const CATEGORY_ORDER = ['trigger', 'messaging', 'logic', 'data', 'integration', 'human', 'flow'];

/** The node types to add, from the registry, by category; drag one onto the canvas or click to add it. */
export function Palette({ onAdd }: { onAdd(type: string): void }) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const matches = (d: NodeDefinition) => !q || d.title.toLowerCase().includes(q) || d.description.toLowerCase().includes(q) || d.type.includes(q);
    return CATEGORY_ORDER.map((category) => ({ category, items: [...defaultRegistry.values()].filter((d) => d.category === category && matches(d)) })).filter((g) => g.items.length > 0);
  }, [query]);

  return (
    <aside className="flex h-full w-60 shrink-0 flex-col border-r border-slate-200 bg-white" aria-label="Node palette">
      <div className="border-b border-slate-200 p-3">
        <input
          type="search"
          aria-label="Search nodes"
          placeholder="Search nodes"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          className="block w-full rounded-md border-0 px-2.5 py-1.5 text-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-indigo-600"
        />
      </div>
      <div className="flex-1 space-y-4 overflow-y-auto p-3">
        {groups.length === 0 && <p className="text-sm text-slate-500">No node matches “{query}”.</p>}
        {groups.map(({ category, items }) => (
          <section key={category}>
            <h3 className="mb-1.5 text-[11px] font-semibold uppercase tracking-wide text-slate-400">{CATEGORY_STYLE[category]?.label ?? category}</h3>
            <ul className="space-y-1">
              {items.map((d) => (
                <li key={d.type}>
                  <button
                    type="button"
                    draggable
                    onDragStart={(e) => {
                      e.dataTransfer.setData(PALETTE_MIME, d.type);
                      e.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => onAdd(d.type)}
                    title={d.description}
                    data-palette-type={d.type}
                    className="flex w-full cursor-grab items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-100"
                  >
                    <span className={`flex size-6 shrink-0 items-center justify-center rounded ${CATEGORY_STYLE[d.category]?.chip ?? ''}`}>
                      <NodeIcon name={d.icon} className="size-3.5" />
                    </span>
                    <span className="leading-snug">{d.title}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      <p className="border-t border-slate-200 p-3 text-xs leading-relaxed text-slate-400">Drag a node onto the canvas, or click to add it in view.</p>
    </aside>
  );
}
