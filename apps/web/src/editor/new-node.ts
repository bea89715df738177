import type { NodeDefinition } from '@signalbox/nodes';
import { describeForm, emptyValueFor } from './inspector/form-model.ts';

/**
 * The config a node starts with when added from the palette: what its form would insert (defaults, lists at
 * their minimum length, generated port ids). Fields people must fill stay empty, and the problems panel says so.
 */
export function newNodeData(definition: NodeDefinition, newId: () => string = () => `b${Math.random().toString(36).slice(2, 8)}`): Record<string, unknown> {
  const value = emptyValueFor(describeForm(definition.config), newId);
  return value && typeof value === 'object' && !Array.isArray(value) ? { ...value } : {};
}
