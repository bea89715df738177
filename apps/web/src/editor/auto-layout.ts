import { Graph, layout } from '@dagrejs/dagre';
import { defaultRegistry, type FlowDocument, type FlowNode } from '@signalbox/nodes';
import { drawnPorts } from './node-model.ts';

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 96;
/** Room for one output port's label ("order_status", "Not delivered") at the card's 10 px type. */
const PORT_WIDTH = 72;

/** The card's 14 px semibold title: about 7.5 px a character, plus the padding, the icon and a badge beside it. */
const TITLE_CHARACTER = 7.5;
const TITLE_CHROME = 84;
const TITLE_WIDEST = 320;

/**
 * A card's width: wide enough to name each of its output ports, as a classify-intent node with many intents
 * needs, and to show its title whole ("Answer from knowledge base"), up to a limit.
 */
export function cardWidth(ports: number, title = ''): number {
  const forTitle = Math.min(TITLE_WIDEST, Math.ceil((title.length * TITLE_CHARACTER + TITLE_CHROME) / 8) * 8);
  return Math.max(NODE_WIDTH, ports * PORT_WIDTH, forTitle);
}

/** The size a node's card has before the browser measured it. */
export function cardSize(node: FlowNode, edges: FlowDocument['edges']): { width: number; height: number } {
  const definition = defaultRegistry.get(node.type);
  return { width: cardWidth(drawnPorts(definition, node, edges).length, definition?.title), height: NODE_HEIGHT };
}

/**
 * Top-to-bottom layered positions for every node (dagre), following the flow's direction from Start; returns
 * top-left corners, as React Flow positions nodes.
 */
export function autoLayout(document: FlowDocument, sizes: ReadonlyMap<string, { width: number; height: number }> = new Map()): Record<string, { x: number; y: number }> {
  const graph = new Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 72, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  const sizeOf = new Map(document.nodes.map((node) => [node.id, sizes.get(node.id) ?? cardSize(node, document.edges)]));
  for (const [id, size] of sizeOf) graph.setNode(id, { width: size.width, height: size.height });
  for (const edge of document.edges) if (graph.hasNode(edge.source) && graph.hasNode(edge.target)) graph.setEdge(edge.source, edge.target);
  layout(graph);
  const positions: Record<string, { x: number; y: number }> = {};
  for (const [id, size] of sizeOf) {
    const placed = graph.node(id);
    positions[id] = { x: Math.round(placed.x - size.width / 2), y: Math.round(placed.y - size.height / 2) };
  }
  return positions;
}
