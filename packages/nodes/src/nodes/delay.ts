import { z } from 'zod';
import { defineNode, next } from '../define.ts';
import { hint } from './hints.ts';

export const delayNode = defineNode({
  type: 'delay',
  typeVersion: 1,
  category: 'logic',
  title: 'Delay',
  description: 'Waits before going on. Messages that arrive meanwhile are stored but do not move the flow.',
  icon: 'clock',
  hasErrorPort: false,
  waits: true,
  config: z.object({
    seconds: z.number().int().min(1).max(30 * 24 * 3600).meta(hint({ title: 'Wait (seconds)', description: 'Up to 30 days (2,592,000 seconds).' })),
  }),
  ports: () => [{ id: 'next', label: 'After delay' }],
  run: (ctx, config) => ({ kind: 'wait', wait: 'timer', token: ctx.scheduleTimer(config.seconds) }),
  resume: (ctx, _config, cursor) => {
    if (ctx.input.kind === 'timer') return next();
    return { kind: 'wait', wait: 'timer', token: cursor.token, attempts: cursor.attempts };
  },
});
