import { z } from 'zod';
import { defineNode } from '../define.ts';
import { hint } from './hints.ts';

export const handoffNode = defineNode({
  type: 'handoff',
  typeVersion: 1,
  category: 'human',
  title: 'Hand off to humans',
  description: 'Assigns the conversation to a team; the bot stops answering it.',
  icon: 'users',
  hasErrorPort: false,
  config: z.object({
    team: z.string().min(1, 'choose a team').meta(hint({ title: 'Team' })),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).default('normal').meta(hint({ title: 'Priority' })),
    note: z.string().default('').meta(hint({ title: 'Note for the team', widget: 'template-multiline', description: 'Shown to the agent who picks the conversation up.' })),
  }),
  ports: () => [],
  run: (ctx, config) => {
    ctx.emit({ type: 'handoff', team: config.team, priority: config.priority, note: ctx.render(config.note) });
    return { kind: 'end', reason: 'handed off' };
  },
});
