import { z } from 'zod';
import { defineNode, next } from '../define.ts';
import { VariableName } from '../flow/document.ts';
import { hint } from './hints.ts';

const AssignedValue = z.string().meta(hint({ title: 'Value', widget: 'template' }));

const Assignment = z
  .discriminatedUnion('target', [
    z.object({ target: z.literal('variable'), name: VariableName.meta(hint({ title: 'Variable' })), value: AssignedValue }).meta(hint({ title: 'Variable' })),
    z
      .object({ target: z.literal('contact-attribute'), name: z.string().min(1).meta(hint({ title: 'Attribute' })), value: AssignedValue })
      .meta(hint({ title: 'Contact attribute' })),
    z
      .object({
        target: z.literal('tag'),
        name: z.string().min(1).meta(hint({ title: 'Tag', widget: 'template' })),
        action: z.enum(['add', 'remove']).default('add').meta(hint({ title: 'Tag action', optionLabels: { add: 'Add tag', remove: 'Remove tag' } })),
      })
      .meta(hint({ title: 'Conversation tag' })),
  ])
  .meta(hint({ title: 'Set' }));

/**
 * A rendered value that looks like a number or boolean is stored as one, so conditions can compare it. Only when
 * the number prints back the same: "01234" (a zip code) and 20-digit order ids stay strings.
 */
function coerce(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed) && String(Number(trimmed)) === trimmed) return Number(trimmed);
  return text;
}

export const setNode = defineNode({
  type: 'set',
  typeVersion: 1,
  category: 'data',
  title: 'Set',
  description: 'Sets flow variables, contact attributes and conversation tags.',
  icon: 'edit',
  hasErrorPort: false,
  config: z.object({
    assignments: z.array(Assignment).min(1, 'add at least one assignment').meta(hint({ title: 'Assignments', itemLabel: 'Assignment' })),
  }),
  ports: () => [{ id: 'next', label: 'Next' }],
  writes: (config) => config.assignments.flatMap((a) => (a.target === 'variable' ? [a.name] : [])),
  run: (ctx, config) => {
    for (const a of config.assignments) {
      switch (a.target) {
        case 'variable':
          ctx.setVariable(a.name, coerce(ctx.render(a.value)));
          break;
        case 'contact-attribute': {
          const value = coerce(ctx.render(a.value));
          ctx.contact.attributes[a.name] = value;
          ctx.emit({ type: 'set-contact-attribute', key: a.name, value });
          break;
        }
        case 'tag': {
          const tag = ctx.render(a.name);
          const tags = ctx.conversation.tags;
          if (a.action === 'add' && !tags.includes(tag)) tags.push(tag);
          if (a.action === 'remove') ctx.conversation.tags = tags.filter((t) => t !== tag);
          ctx.emit({ type: 'tag', tag, action: a.action });
          break;
        }
        default: {
          const unreachable: never = a;
          return unreachable;
        }
      }
    }
    return next();
  },
});
