'use client';

import { Dialog } from '../ui/dialog.tsx';

const SHORTCUTS: [string, string][] = [
  ['Ctrl+Z', 'Undo'],
  ['Ctrl+Shift+Z or Ctrl+Y', 'Redo'],
  ['Ctrl+C / Ctrl+V', 'Copy and paste nodes, also between flows'],
  ['Ctrl+D', 'Duplicate the selected nodes'],
  ['Delete or Backspace', 'Delete the selection'],
  ['Ctrl+K', 'Find a node'],
  ['Ctrl+S', 'Save now (drafts also save by themselves)'],
  ['Ctrl+click', 'Add a node to the selection'],
  ['Shift+drag', 'Select the nodes in a box'],
  ['Space+drag, or drag the background', 'Move around'],
  ['Mouse wheel', 'Zoom'],
  ['?', 'This list'],
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts">
      <dl className="divide-y divide-slate-100 text-sm">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} className="flex items-center justify-between gap-4 py-2">
            <dt className="text-slate-700">{what}</dt>
            <dd>
              <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-700">{keys}</kbd>
            </dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
