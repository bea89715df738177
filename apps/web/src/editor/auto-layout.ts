import { Graph, layout } from '@dagrejs/dagre';
import type { FlowDocument } from '@signalbox/nodes';

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 96;

/**
 * Top-to-bottom layered positions for every node (dagre), following the flow's direction from Start; returns
 * top-left corners, as React Flow positions nodes.
 */
export function autoLayout(document: FlowDocument, sizes: ReadonlyMap<string, { width: number; height: number }> = new Map()): Record<string, { x: number; y: number }> {
  const graph = new Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 72, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of document.nodes) {
    const size = sizes.get(node.id) ?? { width: NODE_WIDTH, height: NODE_HEIGHT };
    graph.setNode(node.id, { width: size.width, height: size.height });
  }
  for (const edge of document.edges) if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) graph.setEdge(edge.source, edge.target);
  layout(graph);
  const positions: Record<string, { x: number; y: number }> = {};
  for (const node of document.nodes) {
    const placed = graph.node(node.id);
    const size = sizes.get(node.id) ?? { width: NODE_WIDTH, height: NODE_HEIGHT };
    positions[node.id] = { x: Math.round(placed.x - size.width / 2), y: Math.round(placed.y - size.height / 2) };
  }
  return positions;
}
