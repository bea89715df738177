'use client';

import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnDelete,
  type OnSelectionChangeFunc,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { defaultRegistry, type FlowDocument, type FlowNode, type FlowOperation, type Port } from '@signalbox/nodes';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { cardWidth, NODE_HEIGHT, NODE_WIDTH } from './auto-layout.ts';
import { NodeCard, type CardData, type CardNode, type Mark } from './node-card.tsx';
import { connectOperation, drawnPorts, summaryOf, type NodeIssues } from './node-model.ts';
import { NoteCard, type NoteNode } from './note-card.tsx';

export const PALETTE_MIME = 'application/x-signalbox-node';

/** Above this many nodes the canvas opens at the start node instead of fitting everything. */
const BIG_FLOW = 150;
/** The smallest zoom a flow opens at: below it a card's 14 px title is under 10 px on screen. */
const READABLE_ZOOM = 0.7;
/** Room kept free around a framed flow, in screen pixels. */
const FRAME_MARGIN = 32;

const nodeTypes = { flow: NodeCard, note: NoteCard };

export type EdgeMark = 'path' | 'added' | 'removed';

export interface Selection {
  nodeIds: string[];
  edgeIds: string[];
  noteIds: string[];
}

interface CanvasProps {
  document: FlowDocument;
  readOnly: boolean;
  issues: ReadonlyMap<string, NodeIssues>;
  marks: ReadonlyMap<string, Mark>;
  edgeMarks: ReadonlyMap<string, EdgeMark>;
  /** Nodes a diff removed: drawn faded where they were, for reading only. */
  ghosts: readonly FlowNode[];
  apply(op: FlowOperation, coalesceKey?: string): void;
  onSelection(selection: Selection): void;
  /** Adds a node of `type` at a flow position (drops from the palette). */
  onDropType(type: string, position: { x: number; y: number }): void;
  /** Selects a node, and with `move` brings it into view. */
  focus: { nodeId: string; nonce: number; move: boolean } | null;
  /** Increase to fit every node in view (after auto-layout). */
  frameRequest: number;
}

type AnyNode = CardNode | NoteNode;

function cardData(node: FlowNode, ports: Port[], issues: NodeIssues | undefined, mark: Mark, readOnly: boolean): CardData {
  const definition = defaultRegistry.get(node.type);
  return {
    node,
    title: definition?.title ?? `Unknown type “${node.type}”`,
    icon: definition?.icon ?? 'note',
    category: definition?.category ?? 'flow',
    summary: summaryOf(node),
    ports,
    entry: definition?.entry === true,
    errors: issues?.errors.length ?? 0,
    warnings: issues?.warnings.length ?? 0,
    mark,
    readOnly,
  };
}

const sameMark = (a: Mark, b: Mark) => JSON.stringify(a) === JSON.stringify(b);
const samePorts = (a: Port[], b: Port[]) => a === b || (a.length === b.length && a.every((p, i) => p.id === b[i]?.id && p.label === b[i]?.label));

/**
 * The React Flow canvas over a flow document. The document is the truth; React Flow's own node state (sizes it
 * measured, selection, positions mid-drag) is kept beside it, and a node object is rebuilt only when its part
 * of the document, its issues or its mark changed, so a 500-node flow re-renders only what moved.
 */
export function Canvas(props: CanvasProps) {
  const { document, readOnly, issues, marks, edgeMarks, ghosts, apply, onSelection, onDropType, focus, frameRequest } = props;
  const flow = useReactFlow<AnyNode, Edge>();
  const [nodes, setNodes] = useState<AnyNode[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  const drawnEdges = useRef<FlowDocument['edges'] | null>(null);
  // Note cards keep one handler for their life; it reaches the current `apply` through a ref.
  const applyRef = useRef(apply);
  applyRef.current = apply;
  const onNoteText = useCallback((noteId: string, text: string) => applyRef.current({ type: 'update-note', noteId, changes: { text } }, `note:${noteId}:text`), []);

  useEffect(() => {
    setNodes((previous) => {
      const byId = new Map(previous.map((n) => [n.id, n]));
      const next: AnyNode[] = [];
      // Ports depend on the node's config and, for a config that does not parse, on its edges: unchanged both,
      // the ports drawn last time stand, and an edit does not parse every node's config again.
      const edgesChanged = drawnEdges.current !== document.edges;
      drawnEdges.current = document.edges;
      for (const node of document.nodes) {
        const old = byId.get(node.id);
        const nodeIssues = issues.get(node.id);
        const mark = marks.get(node.id) ?? null;
        const unchanged = old !== undefined && old.type === 'flow' && old.data.node === node;
        const ports = unchanged && !edgesChanged ? old.data.ports : drawnPorts(defaultRegistry.get(node.type), node, document.edges);
        if (
          unchanged &&
          old.data.errors === (nodeIssues?.errors.length ?? 0) &&
          old.data.warnings === (nodeIssues?.warnings.length ?? 0) &&
          old.data.readOnly === readOnly &&
          sameMark(old.data.mark, mark) &&
          samePorts(old.data.ports, ports)
        ) {
          next.push(old);
          continue;
        }
        const data = cardData(node, ports, nodeIssues, mark, readOnly);
        next.push({
          ...(old ?? {}),
          id: node.id,
          type: 'flow',
          position: node.position,
          data,
          // A size before measuring (the width the card draws itself at): with onlyRenderVisibleElements, nodes off
          // screen are never measured, and fitView would otherwise frame only the ones it has seen.
          initialWidth: cardWidth(ports.length, data.title),
          initialHeight: NODE_HEIGHT,
          draggable: !readOnly,
          connectable: !readOnly,
          deletable: !readOnly,
        } satisfies CardNode);
      }
      for (const ghost of ghosts) {
        next.push({ id: `ghost:${ghost.id}`, type: 'flow', position: ghost.position, data: cardData(ghost, drawnPorts(defaultRegistry.get(ghost.type), ghost, document.edges), undefined, { kind: 'removed' }, true), draggable: false, connectable: false, deletable: false, selectable: false });
      }
      for (const note of document.notes ?? []) {
        const id = `note:${note.id}`;
        const old = byId.get(id);
        if (old && old.type === 'note' && old.data.note === note && old.data.readOnly === readOnly) {
          next.push(old);
          continue;
        }
        next.push({ ...(old ?? {}), id, type: 'note', position: note.position, data: { note, readOnly, onText: onNoteText }, draggable: !readOnly, deletable: !readOnly } satisfies NoteNode);
      }
      return next;
    });
  }, [document, issues, marks, ghosts, readOnly, onNoteText]);

  useEffect(() => {
    setEdges((previous) => {
      const selected = new Set(previous.filter((e) => e.selected).map((e) => e.id));
      return document.edges.map((edge) => {
        const mark = edgeMarks.get(edge.id);
        return {
          id: edge.id,
          source: edge.source,
          sourceHandle: edge.sourceHandle,
          target: edge.target,
          targetHandle: 'in',
          type: 'smoothstep',
          selected: selected.has(edge.id),
          deletable: !readOnly,
          animated: mark === 'path',
          className: mark ? `edge-${mark}` : edge.sourceHandle === 'error' ? 'edge-error' : undefined,
        };
      });
    });
  }, [document.edges, edgeMarks, readOnly]);

  const onNodesChange = useCallback((changes: NodeChange<AnyNode>[]) => {
    // Removals go through onDelete, as one operation for nodes and edges together.
    setNodes((current) => applyNodeChanges(changes.filter((c) => c.type !== 'remove'), current));
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => setEdges((current) => applyEdgeChanges(changes.filter((c) => c.type !== 'remove'), current)), []);

  const onNodeDragStop = useCallback(
    (_event: unknown, _node: AnyNode, dragged: AnyNode[]) => {
      const positions: Record<string, { x: number; y: number }> = {};
      const notePositions: Record<string, { x: number; y: number }> = {};
      for (const n of dragged) {
        const rounded = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
        if (n.type === 'note') notePositions[n.data.note.id] = rounded;
        else if (!n.id.startsWith('ghost:')) positions[n.id] = rounded;
      }
      apply({ type: 'move-nodes', positions, notePositions });
    },
    [apply],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      if (connection.sourceHandle) apply(connectOperation(document, connection.source, connection.sourceHandle, connection.target));
    },
    [apply, document],
  );

  const onDelete: OnDelete<AnyNode, Edge> = useCallback(
    ({ nodes: removed, edges: removedEdges }) => {
      apply({
        type: 'remove',
        nodeIds: removed.filter((n) => n.type === 'flow').map((n) => n.id),
        noteIds: removed.flatMap((n) => (n.type === 'note' ? [n.data.note.id] : [])),
        edgeIds: removedEdges.map((e) => e.id),
      });
    },
    [apply],
  );

  // React Flow re-announces the selection whenever this handler changes identity; a ref keeps it stable.
  const selectionListener = useRef(onSelection);
  selectionListener.current = onSelection;
  const onSelectionChange: OnSelectionChangeFunc<AnyNode, Edge> = useCallback(
    ({ nodes: selectedNodes, edges: selectedEdges }) => {
      selectionListener.current({
        nodeIds: selectedNodes.filter((n) => n.type === 'flow' && !n.id.startsWith('ghost:')).map((n) => n.id),
        noteIds: selectedNodes.flatMap((n) => (n.type === 'note' ? [n.data.note.id] : [])),
        edgeIds: selectedEdges.map((e) => e.id),
      });
    },
    [],
  );

  useEffect(() => {
    if (!focus) return;
    setNodes((current) => current.map((n) => (n.selected === (n.id === focus.nodeId) ? n : { ...n, selected: n.id === focus.nodeId })));
    const target = flow.getNode(focus.nodeId);
    if (target && focus.move) void flow.fitView({ nodes: [{ id: focus.nodeId }], duration: 300, maxZoom: 1.1, padding: 0.6 });
  }, [focus, flow]);

  // Frames the flow once it is loaded (React Flow's own `fitView` prop would wait for every node to be measured,
  // which never happens for nodes off screen when only visible elements render).
  const framed = useRef(false);
  const wrapper = useRef<HTMLDivElement>(null);

  /**
   * Frames the flow from the document's positions and each card's size (measured, or the size it was given
   * before measuring): React Flow's fitView counts only nodes it has measured, and with only visible elements
   * drawn, nodes off screen are never measured. `readable` (on opening) never zooms out below a zoom at which
   * cards can be read: a flow wider than that opens at its top, centred; "fit view" and auto-layout show the whole.
   */
  const frame = useCallback(
    (readable: boolean) => {
      const pane = wrapper.current?.getBoundingClientRect();
      const box = (id: string, position: { x: number; y: number }) => {
        const drawn = flow.getNode(id);
        return { ...position, width: drawn?.measured?.width ?? drawn?.initialWidth ?? NODE_WIDTH, height: drawn?.measured?.height ?? drawn?.initialHeight ?? NODE_HEIGHT };
      };
      const boxes = [...document.nodes.map((n) => box(n.id, n.position)), ...(document.notes ?? []).map((n) => box(`note:${n.id}`, n.position))];
      if (!pane || boxes.length === 0) return;
      const left = Math.min(...boxes.map((b) => b.x));
      const top = Math.min(...boxes.map((b) => b.y));
      const width = Math.max(...boxes.map((b) => b.x + b.width)) - left;
      const height = Math.max(...boxes.map((b) => b.y + b.height)) - top;
      const fit = Math.min((pane.width - 2 * FRAME_MARGIN) / width, (pane.height - 2 * FRAME_MARGIN) / height);
      const zoom = Math.max(readable ? READABLE_ZOOM : 0.1, Math.min(1, fit));
      const y = zoom > fit ? FRAME_MARGIN - top * zoom : pane.height / 2 - (top + height / 2) * zoom;
      void flow.setViewport({ x: pane.width / 2 - (left + width / 2) * zoom, y, zoom }, { duration: framed.current ? 300 : 0 });
    },
    [document.nodes, document.notes, flow],
  );
  const frameAll = useCallback(() => frame(false), [frame]);

  useEffect(() => {
    if (framed.current || nodes.length === 0) return;
    const request = requestAnimationFrame(() => {
      if (nodes.length > BIG_FLOW) {
        // At the zoom that fits hundreds of nodes none is readable: open at the start, readable, like reading
        // a document from its top; the minimap and "fit view" show the whole.
        const entry = nodes.find((n) => n.type === 'flow' && n.data.entry) ?? nodes[0];
        if (entry) void flow.setCenter(entry.position.x + NODE_WIDTH / 2, entry.position.y + 250, { zoom: 0.8 });
      } else {
        frame(true);
      }
      framed.current = true;
      // The frame after framing is the first one a user can work in (bench/editor.ts reads this mark).
      requestAnimationFrame(() => performance.mark('signalbox:editor-interactive'));
    });
    return () => cancelAnimationFrame(request);
  }, [nodes, flow, frame]);

  // The editor asks for a new frame after moving every node (auto-layout).
  useEffect(() => {
    if (frameRequest === 0) return;
    const request = requestAnimationFrame(frameAll);
    return () => cancelAnimationFrame(request);
    // Only a new request frames; the layout's own document change must not re-run it on every later edit.
  }, [frameRequest]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!type || readOnly) return;
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      onDropType(type, { x: Math.round(at.x - 120), y: Math.round(at.y - 30) });
    },
    [flow, onDropType, readOnly],
  );

  const minimapColor = useMemo(() => (n: AnyNode) => (n.type === 'note' ? '#fde68a' : n.type === 'flow' && n.data.errors > 0 ? '#f87171' : '#a5b4fc'), []);

  return (
    <div ref={wrapper} className="h-full w-full" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow<AnyNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onSelectionDragStop={(event, dragged) => onNodeDragStop(event, dragged[0] as AnyNode, dragged)}
        onConnect={onConnect}
        onDelete={onDelete}
        onSelectionChange={onSelectionChange}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements
        proOptions={{ hideAttribution: true }}
        defaultEdgeOptions={{ type: 'smoothstep' }}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1} color="#cbd5e1" />
        <Controls showInteractive={false} showFitView={false} position="bottom-left">
          <ControlButton onClick={frameAll} title="Fit the whole flow in view" aria-label="fit view" className="react-flow__controls-fitview">
            <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
              <path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5" />
            </svg>
          </ControlButton>
        </Controls>
        <MiniMap<AnyNode> pannable zoomable nodeColor={minimapColor} position="bottom-right" className="!rounded-md !border !border-slate-200" />
      </ReactFlow>
    </div>
  );
}
