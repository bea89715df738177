'use client';

import type { Node, NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { FlowNote } from '@signalbox/nodes';

export type NoteData = { note: FlowNote; readOnly: boolean; onText(noteId: string, text: string): void };
export type NoteNode = Node<NoteData, 'note'>;

const COLORS: Record<string, string> = {
  yellow: 'bg-amber-100 border-amber-200',
  blue: 'bg-sky-100 border-sky-200',
  green: 'bg-emerald-100 border-emerald-200',
  pink: 'bg-rose-100 border-rose-200',
  gray: 'bg-slate-100 border-slate-200',
};

/** A sticky note: words for the people who read the flow; the runner ignores it. */
export const NoteCard = memo(function NoteCard({ data, selected }: NodeProps<NoteNode>) {
  const { note } = data;
  return (
    <div
      className={`rounded-md border p-2 shadow-sm ${COLORS[note.color ?? 'yellow'] ?? COLORS.yellow} ${selected ? 'ring-2 ring-indigo-500' : ''}`}
      style={{ width: note.width ?? 220, minHeight: note.height ?? 100 }}
    >
      <textarea
        aria-label="Sticky note"
        className="nodrag nowheel block h-full min-h-20 w-full resize-none bg-transparent text-xs leading-relaxed text-slate-800 outline-none placeholder:text-slate-500"
        placeholder="Write a note for your team…"
        value={note.text}
        readOnly={data.readOnly}
        maxLength={2000}
        onChange={(e) => data.onText(note.id, e.target.value)}
      />
    </div>
  );
});
