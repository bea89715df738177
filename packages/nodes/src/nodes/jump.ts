import { z } from 'zod';
import { defineNode } from '../define.ts';

/** The interpreter performs the jump itself (it must switch documents); the node only declares the target. */
export const jumpNode = defineNode({
  type: 'jump',
  typeVersion: 1,
  category: 'flow',
  title: 'Jump to flow',
  description: "Continues in another flow's latest published version, from its start.",
  icon: 'corner-down-right',
  hasErrorPort: true,
  config: z.object({ flowId: z.string().min(1, 'choose a flow') }),
  ports: () => [],
  run: () => ({ kind: 'end', reason: 'jump is performed by the interpreter' }),
});
