'use client';

import { useQuery } from '@tanstack/react-query';
import { describeFieldChange, type FlowDiff } from '@signalbox/nodes';
import Link from 'next/link';
import { useTRPC } from '../trpc/client.tsx';
import { Badge, Button, Select, Spinner } from '../ui/primitives.tsx';

export type Side = number | 'draft';

interface VersionsPanelProps {
  flowId: string;
  canRestore: boolean;
  viewing: number | null;
  compare: { from: Side; to: Side } | null;
  diff: FlowDiff | null;
  titleOf(nodeId: string): string;
  onCompare(compare: { from: Side; to: Side } | null): void;
  onRestore(number: number): void;
  onFocusNode(nodeId: string): void;
}

const sideLabel = (side: Side) => (side === 'draft' ? 'Draft' : `v${side}`);

export function VersionsPanel({ flowId, canRestore, viewing, compare, diff, titleOf, onCompare, onRestore, onFocusNode }: VersionsPanelProps) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.versions.list.queryOptions({ id: flowId }));
  if (versions.isLoading) return <div className="p-4"><Spinner label="Loading versions" /></div>;
  const list = versions.data ?? [];
  if (list.length === 0) return <p className="p-4 text-sm text-slate-500">Nothing published yet. Publish the draft to create version 1.</p>;
  const sides: Side[] = ['draft', ...list.map((v) => v.number)];
  // One default for the selects and the Show button: the latest version against the draft.
  const from = compare?.from ?? list[0]?.number ?? 'draft';
  const to = compare?.to ?? 'draft';

  return (
    <div className="divide-y divide-slate-200">
      <section className="space-y-2 p-4" aria-label="Compare versions">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-400">Compare</h3>
        <div className="flex items-center gap-2">
          <Select aria-label="Compare from" value={String(from)} onChange={(e) => onCompare({ from: parseSide(e.target.value), to })} className="!py-1 text-xs">
            {sides.map((s) => <option key={String(s)} value={String(s)}>{sideLabel(s)}</option>)}
          </Select>
          <span className="text-slate-400">→</span>
          <Select aria-label="Compare to" value={String(to)} onChange={(e) => onCompare({ from, to: parseSide(e.target.value) })} className="!py-1 text-xs">
            {sides.map((s) => <option key={String(s)} value={String(s)}>{sideLabel(s)}</option>)}
          </Select>
          {compare ? <Button size="sm" onClick={() => onCompare(null)}>Done</Button> : <Button size="sm" onClick={() => onCompare({ from, to })}>Show</Button>}
        </div>
        {compare && diff && <DiffList diff={diff} titleOf={titleOf} onFocusNode={onFocusNode} label={`${sideLabel(compare.from)} → ${sideLabel(compare.to)}`} />}
      </section>
      <ul aria-label="Version history">
        {list.map((v) => (
          <li key={v.id} className={`p-4 ${viewing === v.number ? 'bg-indigo-50/60' : ''}`}>
            <div className="flex items-center gap-2">
              <Badge tone={v === list[0] ? 'green' : 'slate'}>v{v.number}</Badge>
              {v === list[0] && <span className="text-xs text-emerald-700">latest</span>}
              <span className="ml-auto text-xs text-slate-400" title={v.createdAt.toLocaleString()}>{v.createdAt.toLocaleDateString()} {v.createdAt.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</span>
            </div>
            <p className="mt-1 text-sm text-slate-700">{v.note || <span className="text-slate-400">No note</span>}</p>
            <p className="text-xs text-slate-400">{v.authorName ?? 'unknown author'}</p>
            <div className="mt-2 flex gap-1">
              <Link href={viewing === v.number ? `/flows/${flowId}` : `/flows/${flowId}?version=${v.number}`} className="rounded-md px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50">
                {viewing === v.number ? 'Back to draft' : 'Open'}
              </Link>
              <button type="button" className="rounded-md px-2 py-1 text-xs font-medium text-slate-600 hover:bg-slate-100" onClick={() => onCompare({ from: v.number, to: 'draft' })}>
                Diff with draft
              </button>
              {canRestore && (
                <button type="button" className="rounded-md px-2 py-1 text-xs font-medium text-slate-600 hover:bg-slate-100" onClick={() => onRestore(v.number)} aria-label={`Restore v${v.number} into the draft`}>
                  Restore
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function parseSide(value: string): Side {
  return value === 'draft' ? 'draft' : Number(value);
}

function DiffList({ diff, titleOf, onFocusNode, label }: { diff: FlowDiff; titleOf(nodeId: string): string; onFocusNode(nodeId: string): void; label: string }) {
  if (diff.identical) return <p className="text-sm text-slate-500">{label}: no differences.</p>;
  const s = diff.summary;
  return (
    <div className="space-y-2" aria-label="Differences">
      <p className="text-xs text-slate-500">
        {label}: {s.added} added, {s.removed} removed, {s.changed} changed, {s.moved} moved · edges +{s.edgesAdded} −{s.edgesRemoved}
        {s.edgesRewired ? ` ~${s.edgesRewired}` : ''}
      </p>
      <ul className="space-y-1.5">
        {diff.nodes.map((change) => (
          <li key={`${change.kind}-${change.nodeId}`}>
            <button type="button" onClick={() => onFocusNode(change.nodeId)} className="w-full rounded-md px-2 py-1.5 text-left hover:bg-slate-50">
              <span className="flex items-center gap-2 text-sm">
                <Badge tone={change.kind === 'added' ? 'green' : change.kind === 'removed' ? 'red' : 'amber'}>{change.kind}</Badge>
                <span className="truncate text-slate-800">{change.kind === 'removed' ? `${change.node.type} ${change.nodeId}` : titleOf(change.nodeId)}</span>
              </span>
              {change.kind === 'changed' && (
                <ul className="mt-1 space-y-0.5 pl-1 font-mono text-[11px] text-slate-600">
                  {change.moved && <li>moved</li>}
                  {change.fields.map((f) => <li key={f.path + f.kind} className="break-all">{describeFieldChange(f)}</li>)}
                </ul>
              )}
            </button>
          </li>
        ))}
        {diff.edges.map((change) => (
          <li key={`edge-${change.kind}-${change.kind === 'rewired' ? change.edgeId : change.edge.id}`} className="px-2 text-xs text-slate-600">
            {change.kind === 'rewired'
              ? `edge ${change.edgeId}: ${change.before.source} → ${change.before.target} is now ${change.after.source} → ${change.after.target}`
              : `edge ${change.kind}: ${change.edge.source} (${change.edge.sourceHandle}) → ${change.edge.target}`}
          </li>
        ))}
        {diff.variables.map((v) => <li key={`var-${v.name}`} className="px-2 text-xs text-slate-600">variable {v.name} {v.kind}</li>)}
      </ul>
    </div>
  );
}
