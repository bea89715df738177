import { z } from 'zod';
import { defineNode } from '../define.ts';

export const closeNode = defineNode({
  type: 'close',
  typeVersion: 1,
  category: 'human',
  title: 'Close conversation',
  description: 'Closes the conversation. A new message opens it again and starts the flow afresh.',
  icon: 'check',
  hasErrorPort: false,
  config: z.object({}),
  ports: () => [],
  run: (ctx) => {
    ctx.emit({ type: 'close' });
    return { kind: 'end', reason: 'closed' };
  },
});
