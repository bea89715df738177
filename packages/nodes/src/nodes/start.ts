import { z } from 'zod';
import { defineNode, next } from '../define.ts';
import { hint } from './hints.ts';

export const startNode = defineNode({
  type: 'start',
  typeVersion: 1,
  category: 'trigger',
  title: 'Start',
  description: 'Where the flow begins: on any customer message, or only when a conversation starts.',
  icon: 'play',
  entry: true,
  hasErrorPort: false,
  config: z.object({
    trigger: z
      .enum(['message', 'conversation-started'])
      .default('message')
      .meta(hint({ title: 'Starts on', optionLabels: { message: 'Any customer message', 'conversation-started': 'A new conversation' } })),
  }),
  ports: () => [{ id: 'next', label: 'Next' }],
  run: (ctx, config) => {
    const trigger = ctx.input.kind === 'conversation-started' ? 'conversation-started' : 'message';
    if (trigger !== config.trigger) return { kind: 'end', reason: `this flow starts on ${config.trigger}, not on ${trigger}` };
    return next();
  },
});
