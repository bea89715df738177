import { z } from 'zod';
import { defineNode } from '../define.ts';
import { hint } from './hints.ts';

/** The node only names the target; the interpreter performs the jump, since it must switch documents. */
export const jumpNode = defineNode({
  type: 'jump',
  typeVersion: 1,
  category: 'flow',
  title: 'Jump to flow',
  description: "Continues in another flow's latest published version, from its start.",
  icon: 'corner-down-right',
  hasErrorPort: true,
  config: z.object({ flowId: z.string().min(1, 'choose a flow').meta(hint({ title: 'Flow', description: 'The id of the flow to continue in.' })) }),
  ports: () => [],
  run: (_ctx, config) => ({ kind: 'jump', flowId: config.flowId }),
});
