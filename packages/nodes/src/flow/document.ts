import { z } from 'zod';

export const CURRENT_SCHEMA_VERSION = 1;

export const FlowNode = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  typeVersion: z.number().int().positive().default(1),
  position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
  /** The node's config; parsed by the node type's own schema, so it is opaque here. */
  data: z.record(z.string(), z.unknown()).default({}),
});
export type FlowNode = z.infer<typeof FlowNode>;

export const FlowEdge = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  sourceHandle: z.string().min(1).default('next'),
  target: z.string().min(1),
  targetHandle: z.string().nullish(),
});
export type FlowEdge = z.infer<typeof FlowEdge>;

/** A flow variable's name, as templates read it (`{{orderId}}`); nodes that write variables use it too. */
export const VariableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _; not starting with a digit');

export const FlowVariable = z.object({
  name: VariableName,
  default: z.unknown().optional(),
  description: z.string().optional(),
});

/** Colors a sticky note may take; the editor maps each to its own palette. */
export const NoteColor = z.enum(['yellow', 'blue', 'green', 'pink', 'gray']);
export type NoteColor = z.infer<typeof NoteColor>;

/** A sticky note on the canvas: documentation for people, ignored by the validator and the interpreter. */
export const FlowNote = z.object({
  id: z.string().min(1),
  position: z.object({ x: z.number(), y: z.number() }),
  text: z.string().max(2000),
  width: z.number().positive().optional(),
  height: z.number().positive().optional(),
  color: NoteColor.optional(),
});
export type FlowNote = z.infer<typeof FlowNote>;

export const FlowDocument = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  name: z.string().optional(),
  nodes: z.array(FlowNode),
  edges: z.array(FlowEdge).default([]),
  variables: z.array(FlowVariable).default([]),
  // Optional rather than `.default([])`: a default would make `notes` required in the inferred type, so every
  // existing `FlowDocument` literal and exact-equality test of a loaded document would change.
  notes: z.array(FlowNote).optional(),
});
export type FlowDocument = z.infer<typeof FlowDocument>;
