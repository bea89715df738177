import { applyOperation, loadFlowDocument, type FlowDocument } from '@signalbox/nodes';
import { autoLayout } from '../editor/auto-layout.ts';
import demo from '../../../../examples/flows/demo.json' with { type: 'json' };
import echo from '../../../../examples/flows/echo.json' with { type: 'json' };

export interface Starter {
  id: string;
  title: string;
  description: string;
  document: FlowDocument;
}

const blank = { schemaVersion: 1, nodes: [{ id: 'start', type: 'start', typeVersion: 1, position: { x: 0, y: 0 }, data: { trigger: 'message' } }] };

/** An example flow, laid out as the editor's auto-layout would: the examples' hand-set positions overlap. */
function example(json: unknown): FlowDocument {
  const loaded = loadFlowDocument(json);
  if (!loaded.ok) throw new Error(`example flow is invalid: ${loaded.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`);
  return applyOperation(loaded.document, { type: 'move-nodes', positions: autoLayout(loaded.document) });
}

/** What a new flow can start from. */
export const STARTERS: readonly Starter[] = [
  { id: 'blank', title: 'Blank', description: 'Just a Start node.', document: example(blank) },
  { id: 'shop-assistant', title: 'Shop assistant', description: 'Greets, asks what the customer needs, routes order status, refunds or a person.', document: example(demo) },
  { id: 'echo', title: 'Echo', description: 'Answers every message with what it said: for trying a channel.', document: example(echo) },
];
