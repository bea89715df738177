import { z } from 'zod';
import { defineNode, PortId } from '../define.ts';
import { hint } from './hints.ts';

/**
 * FNV-1a with murmur3's finalizer, in [0, 1): a contact lands in the same variant on every run and machine,
 * and sequential ids (contact-1, contact-2, ...) still spread evenly, which plain FNV-1a does not.
 */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x100000000;
}

export const abSplitNode = defineNode({
  type: 'ab-split',
  typeVersion: 1,
  category: 'logic',
  title: 'A/B split',
  description: 'Sends each contact down one variant by weight; a contact always gets the same variant.',
  icon: 'shuffle',
  hasErrorPort: false,
  config: z
    .object({
      variants: z
        .array(
          z.object({
            id: PortId.meta(hint({ title: 'Id', widget: 'auto-id' })),
            label: z.string().min(1).meta(hint({ title: 'Label', description: "Names the variant's output." })),
            weight: z.number().nonnegative().meta(hint({ title: 'Weight' })),
          }),
        )
        .min(2, 'an A/B split needs at least two variants')
        .meta(hint({ title: 'Variants', itemLabel: 'Variant', description: 'A variant gets its weight divided by the total of all weights.' })),
    })
    .refine((c) => c.variants.some((v) => v.weight > 0), { message: 'at least one weight must be above 0', path: ['variants'] }),
  ports: (config) => config.variants.map((v) => ({ id: v.id, label: `${v.label} (${v.weight})` })),
  run: (ctx, config) => {
    const total = config.variants.reduce((sum, v) => sum + v.weight, 0);
    const point = stableHash(`${ctx.node.id}:${ctx.contact.id}`) * total;
    let acc = 0;
    for (const variant of config.variants) {
      acc += variant.weight;
      if (point < acc) return { kind: 'next', port: variant.id };
    }
    const last = config.variants[config.variants.length - 1];
    return { kind: 'next', port: last ? last.id : 'next' };
  },
});
