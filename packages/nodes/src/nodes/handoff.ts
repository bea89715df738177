import { z } from 'zod';
import { defineNode } from '../define.ts';

export const handoffNode = defineNode({
  type: 'handoff',
  typeVersion: 1,
  category: 'human',
  title: 'Hand off to humans',
  description: 'Assigns the conversation to a team; the bot stops answering it.',
  icon: 'users',
  hasErrorPort: false,
  config: z.object({
    team: z.string().min(1, 'choose a team'),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).default('normal'),
    note: z.string().default(''),
  }),
  ports: () => [],
  run: (ctx, config) => {
    ctx.emit({ type: 'handoff', team: config.team, priority: config.priority, note: ctx.render(config.note) });
    return { kind: 'end', reason: 'handed off' };
  },
});
