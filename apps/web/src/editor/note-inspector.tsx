'use client';

import { NoteColor, type FlowNote, type FlowOperation } from '@signalbox/nodes';
import { Button } from '../ui/primitives.tsx';

const SWATCH: Record<NoteColor, string> = {
  yellow: 'bg-amber-200',
  blue: 'bg-sky-200',
  green: 'bg-emerald-200',
  pink: 'bg-rose-200',
  gray: 'bg-slate-200',
};

/** A selected sticky note: its colour, and deleting it (its text is edited on the canvas). */
export function NoteInspector({ note, readOnly, apply }: { note: FlowNote; readOnly: boolean; apply(op: FlowOperation): void }) {
  return (
    <div className="space-y-4 p-4">
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold text-slate-900">Sticky note</h2>
        {!readOnly && (
          <Button size="sm" tone="ghost" onClick={() => apply({ type: 'remove', noteIds: [note.id] })}>
            Delete
          </Button>
        )}
      </div>
      <p className="text-xs text-slate-500">Notes are for the people who read the flow; customers never see them. Write on the note itself.</p>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Colour</legend>
        <div className="mt-2 flex gap-2">
          {NoteColor.options.map((color) => (
            <button
              key={color}
              type="button"
              disabled={readOnly}
              aria-label={color}
              aria-pressed={(note.color ?? 'yellow') === color}
              onClick={() => apply({ type: 'update-note', noteId: note.id, changes: { color } })}
              className={`size-7 rounded-full ring-offset-2 ${SWATCH[color]} aria-pressed:ring-2 aria-pressed:ring-indigo-600`}
            />
          ))}
        </div>
      </fieldset>
    </div>
  );
}
