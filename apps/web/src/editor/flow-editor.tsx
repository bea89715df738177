'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import {
  defaultRegistry,
  diffFlows,
  duplicateSelection,
  FlowFragment,
  validateFlow,
  type FlowDocument,
  type FlowNode,
  type ValidationIssue,
} from '@signalbox/nodes';
import type { FlowLibrary } from '@signalbox/db/app';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useViewer } from '../app/(workspace)/viewer.tsx';
import { errorOf, useTRPC } from '../trpc/client.tsx';
import { WorkspaceOptionsProvider } from './inspector/workspace-options.tsx';
import { Badge, Button, ErrorNote, Spinner } from '../ui/primitives.tsx';
import { autoLayout, cardSize } from './auto-layout.ts';
import { Canvas, type EdgeMark, type Selection } from './canvas.tsx';
import { newNodeData } from './new-node.ts';
import { FlowTitle } from './flow-title.tsx';
import { Inspector } from './inspector.tsx';
import { NoteInspector } from './note-inspector.tsx';
import { Palette } from './palette.tsx';
import type { Mark } from './node-card.tsx';
import { issuesByNode, uniqueId } from './node-model.ts';
import { NodeSearch } from './node-search.tsx';
import { PreviewPanel, type PreviewRun } from './preview-panel.tsx';
import { ProblemsPanel } from './problems-panel.tsx';
import { PublishDialog } from './publish-dialog.tsx';
import { ShortcutsDialog } from './shortcuts-dialog.tsx';
import { useDraft, type SaveState } from './use-draft.ts';
import { usePresence } from './use-presence.ts';
import { VersionsPanel, type Side } from './versions-panel.tsx';

type Tab = 'node' | 'problems' | 'preview' | 'versions';

export function FlowEditor({ flowId, version, initial }: { flowId: string; version: number | null; initial: Opened | null }) {
  const trpc = useTRPC();
  // Never from a cache: the editor must start from the draft as saved now, or its first save is a conflict with
  // the user's own earlier work. The page renders with it (`initial`) and remounts this for each version shown.
  const opened = useQuery({ ...trpc.flows.open.queryOptions({ id: flowId }), staleTime: Infinity, gcTime: 0, refetchOnWindowFocus: false, ...(initial ? { initialData: initial } : {}) });
  const viewed = useQuery({ ...trpc.versions.get.queryOptions({ id: flowId, number: version ?? 1 }), enabled: version !== null, staleTime: Infinity });
  const failure = opened.error ?? (version !== null ? viewed.error : null);
  if (failure) {
    return (
      <div className="mx-auto max-w-lg p-12">
        <ErrorNote>{errorOf(failure).message}</ErrorNote>
        <Link href="/flows" className="mt-4 inline-block text-sm text-indigo-700">← Back to flows</Link>
      </div>
    );
  }
  if (!opened.data || (version !== null && !viewed.data)) {
    return (
      <div className="flex h-screen items-center justify-center">
        <Spinner label="Opening the flow" />
      </div>
    );
  }
  return (
    <ReactFlowProvider>
      <Workspace key={version ?? 'draft'} flowId={flowId} opened={opened.data} version={viewed.data && version !== null ? { number: viewed.data.number, document: viewed.data.document } : null} />
    </ReactFlowProvider>
  );
}

/** What the editor opens with: the flow, its draft and its versions. */
type Opened = NonNullable<Awaited<ReturnType<FlowLibrary['open']>>>;

function Workspace({ flowId, opened, version }: { flowId: string; opened: Opened; version: { number: number; document: FlowDocument } | null }) {
  const trpc = useTRPC();
  const viewer = useViewer();
  const flow = useReactFlow();
  const canEdit = viewer.permissions.includes('flows.edit');
  const readOnly = version !== null || !canEdit;
  const draft = useDraft(flowId, opened.draft, readOnly);
  const others = usePresence(flowId);
  const [tab, setTab] = useState<Tab>('node');
  const [selection, setSelection] = useState<Selection>({ nodeIds: [], edgeIds: [], noteIds: [] });
  const [focus, setFocus] = useState<{ nodeId: string; nonce: number; move: boolean } | null>(null);
  const [focusPath, setFocusPath] = useState<string | null>(null);
  const [previewRun, setPreviewRun] = useState<PreviewRun | null>(null);
  const [compare, setCompare] = useState<{ from: Side; to: Side } | null>(null);
  const [dialog, setDialog] = useState<'publish' | 'search' | 'shortcuts' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [frameRequest, setFrameRequest] = useState(0);
  const [latestVersion, setLatestVersion] = useState(opened.versions[0]?.number ?? 0);

  const compared = useQuery({ ...trpc.versions.compare.queryOptions({ id: flowId, from: compare?.from ?? 'draft', to: compare?.to ?? 'draft' }), enabled: compare !== null && !(compare.from === 'draft' && compare.to === 'draft') });
  // A comparison with the draft diffs against the draft being edited, not the last saved one.
  const comparison = useMemo(() => {
    if (!compare || !compared.data) return null;
    const before = compare.from === 'draft' ? draft.document : compared.data.from.document;
    const after = compare.to === 'draft' ? draft.document : compared.data.to.document;
    return { before, after, diff: diffFlows(before, after) };
  }, [compare, compared.data, draft.document]);

  const shown: FlowDocument = comparison?.after ?? version?.document ?? draft.document;
  const canvasReadOnly = readOnly || (comparison !== null && compare?.to !== 'draft');
  const report = useMemo(() => {
    const started = performance.now();
    const result = validateFlow(shown);
    // Observed by bench/editor.ts: validation runs on every edit, so its time is part of typing latency. Only
    // the latest entry is kept, so a long session does not fill the performance buffer.
    performance.clearMeasures('signalbox:validate');
    performance.measure('signalbox:validate', { start: started });
    return result;
  }, [shown]);
  const issues = useMemo(() => issuesByNode(report), [report]);
  const allIssues = useMemo(() => [...report.errors, ...report.warnings], [report]);

  const { marks, edgeMarks, ghosts } = useMemo(() => {
    const marks = new Map<string, Mark>();
    const edgeMarks = new Map<string, EdgeMark>();
    let ghosts: FlowNode[] = [];
    if (comparison) {
      for (const change of comparison.diff.nodes) if (change.kind !== 'removed') marks.set(change.nodeId, { kind: change.kind });
      for (const change of comparison.diff.edges) if (change.kind === 'added' || change.kind === 'rewired') edgeMarks.set(change.kind === 'added' ? change.edge.id : change.edgeId, 'added');
      ghosts = comparison.diff.nodes.flatMap((c) => (c.kind === 'removed' ? [c.node] : []));
    } else if (previewRun) {
      const trace = previewRun.trace;
      trace.forEach((entry, i) => {
        const previous = marks.get(entry.nodeId);
        const steps = previous && previous.kind === 'path' ? [...previous.steps, entry.step] : [entry.step];
        marks.set(entry.nodeId, { kind: 'path', steps, current: i === trace.length - 1 });
        const next = trace[i + 1];
        if (next && entry.port) {
          const edge = shown.edges.find((e) => e.source === entry.nodeId && e.sourceHandle === entry.port && e.target === next.nodeId);
          if (edge) edgeMarks.set(edge.id, 'path');
        }
      });
    }
    return { marks, edgeMarks, ghosts };
  }, [comparison, previewRun, shown.edges]);

  const titleOf = useCallback((nodeId: string) => {
    const node = shown.nodes.find((n) => n.id === nodeId);
    return node ? `${defaultRegistry.get(node.type)?.title ?? node.type} · ${node.id}` : nodeId;
  }, [shown.nodes]);

  const focusNode = useCallback((nodeId: string, field: string | null = null) => {
    setFocus({ nodeId, nonce: Date.now(), move: true });
    setFocusPath(field);
    setSelection({ nodeIds: [nodeId], edgeIds: [], noteIds: [] });
  }, []);

  const addNode = useCallback(
    (type: string, position?: { x: number; y: number }) => {
      const definition = defaultRegistry.get(type);
      if (!definition || draft.document === undefined) return;
      const taken = new Set(draft.document.nodes.map((n) => n.id));
      const id = uniqueId(type, taken);
      const at = position ?? (() => {
        const center = flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
        // Clicking several times in a row should not stack nodes exactly on top of each other.
        const offset = (draft.document.nodes.length % 5) * 24;
        return { x: Math.round(center.x - 120 + offset), y: Math.round(center.y - 40 + offset) };
      })();
      draft.apply({ type: 'add-nodes', nodes: [{ id, type, typeVersion: definition.typeVersion, position: at, data: newNodeData(definition) }] });
      // Selected for the inspector, but the view stays where the user put the node.
      setFocus({ nodeId: id, nonce: Date.now(), move: false });
      setFocusPath(null);
      setSelection({ nodeIds: [id], edgeIds: [], noteIds: [] });
      setTab('node');
    },
    [draft, flow, focusNode],
  );

  const duplicate = useCallback(
    (nodeIds: string[]) => {
      const taken = takenIds(draft.document);
      const copy = duplicateSelection(draft.document, nodeIds, { offset: { x: 40, y: 40 }, newId: () => { const id = uniqueId('copy', taken); taken.add(id); return id; } });
      if (copy.nodes.length > 0) draft.apply({ type: 'add-nodes', nodes: copy.nodes, edges: copy.edges });
    },
    [draft],
  );

  const layout = useCallback(() => {
    const sizes = new Map(flow.getNodes().flatMap((n) => (n.measured?.width && n.measured.height ? [[n.id, { width: n.measured.width, height: n.measured.height }] as const] : [])));
    draft.apply({ type: 'move-nodes', positions: autoLayout(draft.document, sizes) });
    setFrameRequest((n) => n + 1);
  }, [draft, flow]);

  const addNote = useCallback(() => {
    const center = flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 3 });
    const id = uniqueId('note', new Set((draft.document.notes ?? []).map((n) => n.id)));
    draft.apply({ type: 'add-notes', notes: [{ id, position: { x: Math.round(center.x), y: Math.round(center.y) }, text: '', color: 'yellow' }] });
    setFocus({ nodeId: `note:${id}`, nonce: Date.now(), move: false });
    setSelection({ nodeIds: [], edgeIds: [], noteIds: [id] });
    setTab('node');
  }, [draft, flow]);

  // Keyboard: undo/redo, duplicate, search, save. Typing in a field keeps the browser's own shortcuts.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      const typing = event.target instanceof HTMLElement && (event.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName));
      if (event.key === '?' && !typing) {
        setDialog('shortcuts');
        return;
      }
      if (!mod) return;
      const key = event.key.toLowerCase();
      if (key === 'k') {
        event.preventDefault();
        setDialog('search');
        return;
      }
      if (key === 's') {
        event.preventDefault();
        void draft.saveNow();
        return;
      }
      const target = event.target;
      if (canvasReadOnly) return;
      if (target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      if (key === 'z' && !event.shiftKey) draft.undo();
      else if ((key === 'z' && event.shiftKey) || key === 'y') draft.redo();
      else if (key === 'd') duplicate(selection.nodeIds);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [draft, duplicate, selection.nodeIds, canvasReadOnly]);

  // Copy and paste through the system clipboard, so nodes move between flows and browser tabs.
  useEffect(() => {
    const inField = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
    const onCopy = (event: ClipboardEvent) => {
      // Text the user selected (a preview reply, a trace line) is theirs to copy, not the selected nodes.
      const textSelected = (window.getSelection()?.toString() ?? '') !== '';
      if (inField(event.target) || textSelected || selection.nodeIds.length === 0 || !event.clipboardData) return;
      const chosen = new Set(selection.nodeIds);
      const fragment = { signalbox: 'nodes', nodes: shown.nodes.filter((n) => chosen.has(n.id)), edges: shown.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target)) };
      event.clipboardData.setData('text/plain', JSON.stringify(fragment));
      event.preventDefault();
    };
    const onPaste = (event: ClipboardEvent) => {
      if (canvasReadOnly || inField(event.target) || !event.clipboardData) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(event.clipboardData.getData('text/plain'));
      } catch {
        return;
      }
      const fragment = FlowFragment.safeParse(parsed);
      if (!fragment.success) return;
      event.preventDefault();
      const taken = takenIds(draft.document);
      // Pasted beside the flow, never on top of its nodes, and the view widens to show both.
      const right = Math.max(...draft.document.nodes.map((n) => n.position.x + cardSize(n, draft.document.edges).width), 0) + 80;
      const top = Math.min(...draft.document.nodes.map((n) => n.position.y), 0);
      const left = Math.min(...fragment.data.nodes.map((n) => n.position.x));
      const fragmentTop = Math.min(...fragment.data.nodes.map((n) => n.position.y));
      const offset = fragment.data.nodes.length > 0 ? { x: Math.round(right - left), y: Math.round(top - fragmentTop) } : { x: 40, y: 40 };
      const copy = duplicateSelection(fragment.data, fragment.data.nodes.map((n) => n.id), { offset, newId: () => { const id = uniqueId('pasted', taken); taken.add(id); return id; } });
      draft.apply({ type: 'add-nodes', nodes: copy.nodes, edges: copy.edges });
      setFrameRequest((n) => n + 1);
      setNotice(`Pasted ${copy.nodes.length} node${copy.nodes.length === 1 ? '' : 's'}`);
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [draft, shown, canvasReadOnly, selection.nodeIds]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 3000);
    return () => clearTimeout(timer);
  }, [notice]);

  const queryClient = useQueryClient();
  /** Restoring is an edit like any other: undoable, and saved with the draft's usual conflict check. */
  const restoreVersion = async (number: number) => {
    try {
      const restored = await queryClient.fetchQuery(trpc.versions.get.queryOptions({ id: flowId, number }));
      draft.apply({ type: 'replace-document', document: restored.document });
      setCompare(null);
      setNotice(`Restored v${number} into the draft: Ctrl+Z takes it back`);
    } catch (error) {
      setNotice(`Could not restore v${number}: ${errorOf(error).message}`);
    }
  };

  const selectedNode = selection.nodeIds.length === 1 ? (selection.nodeIds[0] ?? null) : null;
  const selectedEdge = selection.nodeIds.length === 0 && selection.edgeIds.length === 1 ? (shown.edges.find((e) => e.id === selection.edgeIds[0]) ?? null) : null;
  const selectedNote = selection.nodeIds.length === 0 && selection.noteIds.length === 1 ? ((shown.notes ?? []).find((n) => n.id === selection.noteIds[0]) ?? null) : null;
  // What publishing would publish is the draft, whatever the canvas shows.
  const draftReport = useMemo(() => (shown === draft.document ? report : validateFlow(draft.document)), [shown, draft.document, report]);
  const errorCount = draftReport.errors.length;
  const publishBlocked = readOnly || errorCount > 0 || draft.dirty || draft.saveState.kind === 'conflict';

  return (
    // The workspace's templates, intents and word lists, for node forms and cards.
    <WorkspaceOptionsProvider>
      <div className="flex h-screen flex-col bg-white">
        <header className="flex h-14 shrink-0 items-center gap-3 border-b border-slate-200 px-4">
          <Link href="/flows" className="rounded-md px-2 py-1 text-sm text-slate-500 hover:bg-slate-100 hover:text-slate-900">
            ← Flows
          </Link>
          <FlowTitle flowId={flowId} name={opened.flow.name} canRename={canEdit && version === null} />
          {version ? <Badge tone="indigo">Viewing v{version.number} · read-only</Badge> : !canEdit ? <Badge>Read-only</Badge> : <SaveIndicator state={draft.saveState} />}
          {others.length > 0 && (
            <div className="flex items-center -space-x-1.5" aria-label="Also editing">
              {others.map((p) => (
                <span key={p.userId} title={`${p.name} has this flow open`} className="flex size-7 items-center justify-center rounded-full bg-amber-100 text-[11px] font-semibold text-amber-800 ring-2 ring-white">
                  {initials(p.name)}
                </span>
              ))}
              <span className="pl-3 text-xs text-slate-500">{others.map((p) => p.name).join(', ')} also here</span>
            </div>
          )}
          <div className="ml-auto flex items-center gap-1.5">
            {!readOnly && (
              <>
                <Button size="sm" tone="ghost" onClick={draft.undo} disabled={!draft.canUndo} aria-label="Undo" title="Undo (Ctrl+Z)">↶ Undo</Button>
                <Button size="sm" tone="ghost" onClick={draft.redo} disabled={!draft.canRedo} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">↷ Redo</Button>
                <Button size="sm" tone="ghost" onClick={layout} title="Arrange the nodes top to bottom">Auto-layout</Button>
                <Button size="sm" tone="ghost" onClick={addNote}>Add note</Button>
              </>
            )}
            <Button size="sm" tone="ghost" onClick={() => setDialog('search')} title="Find a node (Ctrl+K)">Find ⌘K</Button>
            <Button size="sm" tone="ghost" onClick={() => setDialog('shortcuts')} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">?</Button>
            {!readOnly && viewer.permissions.includes('flows.publish') && (
              <Button
                tone="primary"
                size="sm"
                onClick={() => (errorCount > 0 ? setTab('problems') : setDialog('publish'))}
                disabled={publishBlocked && errorCount === 0}
                title={errorCount > 0 ? `Fix ${errorCount} error(s) before publishing` : draft.dirty ? 'Saving…' : 'Publish the draft as a new version'}
                aria-label="Publish"
              >
                {errorCount > 0 ? `Publish (${errorCount} error${errorCount === 1 ? '' : 's'})` : 'Publish'}
              </Button>
            )}
          </div>
        </header>

        {draft.saveState.kind === 'conflict' && (
          <div role="alert" className="flex items-center gap-3 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
            <span>
              <strong>{draft.saveState.theirs.updatedByName ?? 'Someone'}</strong> saved this flow at {draft.saveState.theirs.updatedAt.toLocaleTimeString()} while you were editing. Your changes are not saved yet.
            </span>
            <Button size="sm" onClick={draft.takeTheirs}>Load their version</Button>
            <Button size="sm" tone="danger" onClick={draft.keepMine}>Keep mine and overwrite</Button>
          </div>
        )}
        {draft.saveState.kind === 'failed' && (
          <div role="alert" className="flex items-center gap-3 border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800">
            Saving failed: {draft.saveState.message}. Your edits are kept in this tab.
            <Button size="sm" onClick={() => void draft.saveNow()}>Retry</Button>
          </div>
        )}

        <div className="flex min-h-0 flex-1">
          {!canvasReadOnly && <Palette onAdd={(type) => addNode(type)} />}
          <div className="relative min-w-0 flex-1">
            <Canvas
              document={shown}
              readOnly={canvasReadOnly}
              issues={issues}
              marks={marks}
              edgeMarks={edgeMarks}
              ghosts={ghosts}
              apply={draft.apply}
              onSelection={(s) => {
                setSelection((current) => (sameSelection(current, s) ? current : s));
                if ((s.nodeIds.length === 1 || s.noteIds.length === 1 || s.edgeIds.length === 1) && tab !== 'preview' && tab !== 'versions') setTab('node');
              }}
              onDropType={(type, position) => addNode(type, position)}
              focus={focus}
              frameRequest={frameRequest}
            />
            {notice && <div role="status" className="absolute top-3 left-1/2 -translate-x-1/2 rounded-full bg-slate-900 px-3 py-1 text-xs text-white shadow">{notice}</div>}
            {comparison && compare && (
              <div className="absolute top-3 left-3 rounded-md bg-white/95 px-3 py-1.5 text-xs text-slate-700 shadow ring-1 ring-slate-200">
                Showing {compare.to === 'draft' ? 'the draft' : `v${compare.to}`}: <span className="text-emerald-700">added</span>, <span className="text-amber-700">changed</span>, <span className="text-red-600">removed</span> against {compare.from === 'draft' ? 'the draft' : `v${compare.from}`}
              </div>
            )}
          </div>
          <aside className="flex w-[360px] shrink-0 flex-col border-l border-slate-200 bg-white" aria-label="Side panel">
            <div role="tablist" aria-label="Panels" className="flex shrink-0 border-b border-slate-200 px-2">
              {(
                [
                  ['node', 'Inspect'],
                  ['problems', `Problems${allIssues.length ? ` (${allIssues.length})` : ''}`],
                  ['preview', 'Preview'],
                  ['versions', 'Versions'],
                ] as const
              ).map(([id, label]) => (
                <button
                  key={id}
                  type="button"
                  role="tab"
                  aria-selected={tab === id}
                  onClick={() => setTab(id)}
                  className={`-mb-px border-b-2 px-3 py-2.5 text-sm font-medium ${tab === id ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-500 hover:text-slate-800'} ${id === 'problems' && errorCount > 0 ? 'text-red-600' : ''}`}
                >
                  {label}
                </button>
              ))}
            </div>
            <div className="min-h-0 flex-1 overflow-y-auto" role="tabpanel">
              {tab === 'node' && selectedNote && <NoteInspector note={selectedNote} readOnly={canvasReadOnly} apply={draft.apply} />}
              {tab === 'node' && !selectedNote && selectedEdge && (
                <div className="space-y-3 p-4">
                  <div className="flex items-center justify-between">
                    <h2 className="text-sm font-semibold text-slate-900">Connection</h2>
                    {!canvasReadOnly && (
                      <Button size="sm" tone="ghost" onClick={() => draft.apply({ type: 'remove', edgeIds: [selectedEdge.id] })}>
                        Delete
                      </Button>
                    )}
                  </div>
                  <p className="text-sm text-slate-700">
                    From <strong>{titleOf(selectedEdge.source)}</strong>, output “{selectedEdge.sourceHandle}”, to <strong>{titleOf(selectedEdge.target)}</strong>.
                  </p>
                  <p className="text-xs text-slate-500">An output leads to one node: connecting it elsewhere replaces this connection.</p>
                </div>
              )}
              {tab === 'node' && !selectedNote && !selectedEdge && <Inspector document={shown} nodeId={selectedNode} issues={allIssues} focusPath={focusPath} readOnly={canvasReadOnly} apply={draft.apply} onDuplicate={duplicate} />}
              {tab === 'problems' && (
                <ProblemsPanel
                  report={report}
                  titleOf={titleOf}
                  onFocus={(issue: ValidationIssue) => {
                    if (!issue.nodeId) return;
                    focusNode(issue.nodeId, issue.code === 'invalid-config' ? (issue.field ?? null) : null);
                    setTab('node');
                  }}
                />
              )}
              {/* Kept mounted: the preview conversation survives a look at another tab. */}
              <div className={tab === 'preview' ? 'h-full' : 'hidden'}>
                {canEdit ? <PreviewPanel document={shown} onRun={setPreviewRun} onFocusNode={(id) => focusNode(id)} /> : <p className="p-4 text-sm text-slate-500">Your role cannot run previews.</p>}
              </div>
              {tab === 'versions' && (
                <VersionsPanel
                  flowId={flowId}
                  canRestore={canEdit && version === null}
                  viewing={version?.number ?? null}
                  compare={compare}
                  diff={comparison?.diff ?? null}
                  titleOf={titleOf}
                  onCompare={setCompare}
                  onRestore={(n) => void restoreVersion(n)}
                  onFocusNode={(id) => focusNode(id)}
                />
              )}
            </div>
          </aside>
        </div>

        <PublishDialog
          open={dialog === 'publish'}
          onClose={() => setDialog(null)}
          flowId={flowId}
          revision={draft.revision}
          nextNumber={latestVersion + 1}
          onPublished={(number) => {
            setLatestVersion(number);
            setDialog(null);
            setNotice(`Published v${number}`);
          }}
        />
        <ShortcutsDialog open={dialog === 'shortcuts'} onClose={() => setDialog(null)} />
        <NodeSearch open={dialog === 'search'} onClose={() => setDialog(null)} document={shown} onPick={(id) => focusNode(id)} />
      </div>
    </WorkspaceOptionsProvider>
  );
}

function SaveIndicator({ state }: { state: SaveState }) {
  switch (state.kind) {
    case 'saved':
      return <span className="text-xs text-slate-400" data-save-state="saved">Saved</span>;
    case 'unsaved':
      return <span className="text-xs text-slate-400" data-save-state="unsaved">Unsaved changes</span>;
    case 'saving':
      return <span className="text-xs text-slate-400" data-save-state="saving">Saving…</span>;
    case 'conflict':
      return <Badge tone="amber">Conflict</Badge>;
    case 'failed':
      return <Badge tone="red">Not saved</Badge>;
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

/** Node and edge ids in use: copies get ids from one generator for both. */
function takenIds(document: FlowDocument): Set<string> {
  return new Set([...document.nodes.map((n) => n.id), ...document.edges.map((e) => e.id)]);
}

function sameSelection(a: Selection, b: Selection): boolean {
  const same = (x: string[], y: string[]) => x.length === y.length && x.every((id, i) => id === y[i]);
  return same(a.nodeIds, b.nodeIds) && same(a.edgeIds, b.edgeIds) && same(a.noteIds, b.noteIds);
}

function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]?.toUpperCase() ?? '').join('');
}
