'use client';

import { defaultRegistry, type FlowDocument } from '@signalbox/nodes';
import { useMemo, useState } from 'react';
import { Dialog } from '../ui/dialog.tsx';
import { summaryOf } from './node-model.ts';

/** Ctrl+K: find a node by its title, id or what it says, and jump to it. */
export function NodeSearch({ open, onClose, document, onPick }: { open: boolean; onClose(): void; document: FlowDocument; onPick(nodeId: string): void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const results = useMemo(() => {
    const q = query.trim().toLowerCase();
    return document.nodes
      .map((n) => ({ id: n.id, title: defaultRegistry.get(n.type)?.title ?? n.type, summary: summaryOf(n) }))
      .filter((r) => !q || r.id.toLowerCase().includes(q) || r.title.toLowerCase().includes(q) || r.summary.toLowerCase().includes(q))
      .slice(0, 50);
  }, [document.nodes, query]);
  const pick = (id: string | undefined) => {
    if (!id) return;
    onPick(id);
    setQuery('');
    onClose();
  };
  return (
    <Dialog open={open} onClose={onClose} title="Go to node">
      <input
        autoFocus
        aria-label="Find a node"
        placeholder="Title, id or text"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, results.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter') pick(results[active]?.id);
          else return;
          e.preventDefault();
        }}
        className="mb-3 block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
      />
      <ul role="listbox" aria-label="Matching nodes" className="max-h-80 overflow-y-auto">
        {results.length === 0 && <li className="px-2 py-3 text-sm text-slate-500">No node matches.</li>}
        {results.map((r, i) => (
          <li key={r.id} role="option" aria-selected={i === active}>
            <button type="button" onClick={() => pick(r.id)} onMouseEnter={() => setActive(i)} className={`block w-full rounded-md px-2 py-1.5 text-left ${i === active ? 'bg-indigo-50' : ''}`}>
              <span className="text-sm font-medium text-slate-900">{r.title}</span> <span className="font-mono text-[11px] text-slate-400">{r.id}</span>
              <span className="block truncate text-xs text-slate-500">{r.summary}</span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
