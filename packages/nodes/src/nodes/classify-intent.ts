import { z } from 'zod';
import { defineNode, next, PortId } from '../define.ts';
import { VariableName, type FlowDocument } from '../flow/document.ts';
import { hint } from './hints.ts';
import { Confidence, InputText } from './language-fields.ts';

/** The port taken below the threshold, or for an intent the node has no port for. */
export const NOT_SURE_PORT = 'not_sure';

export const classifyIntentNode = defineNode({
  type: 'classify-intent',
  typeVersion: 1,
  category: 'logic',
  title: 'Classify intent',
  description: "Routes by what the customer wants, using the workspace's intents: one output per intent, and \"Not sure\".",
  icon: 'target',
  hasErrorPort: true,
  config: z
    .object({
      text: InputText,
      intents: z
        .array(PortId.refine((id) => id !== NOT_SURE_PORT, `"${NOT_SURE_PORT}" is the node's own output`))
        .min(1, 'choose at least one intent')
        .meta(
          hint({
            title: 'Intents',
            itemLabel: 'Intent',
            placeholder: 'order_status',
            description: 'Each gets an output; any other intent takes "Not sure". The workspace\'s intents are suggested (a new workspace has presale_question, order_status, returns_refunds, payment_billing, tech_support, complaint, small_talk for hello, thanks and bye, and off_topic for questions that are not about the shop).',
            optionsFrom: 'intents',
          }),
        ),
      threshold: Confidence.optional().meta(
        hint({ title: 'Confidence threshold', description: 'Below it the flow takes "Not sure". Leave empty for the tuned default.' }),
      ),
      saveAs: VariableName.default('intent').meta(hint({ title: 'Save intent as', description: 'The intent chosen, or empty when not sure.' })),
      saveConfidenceAs: VariableName.optional().meta(hint({ title: 'Save confidence as', description: 'A variable for the confidence (0 to 1); optional.' })),
    })
    .refine((c) => new Set(c.intents).size === c.intents.length, { message: 'an intent is listed twice', path: ['intents'] }),
  ports: (config) => [...config.intents.map((intent) => ({ id: intent, label: intent.replace(/[_-]+/g, ' ') })), { id: NOT_SURE_PORT, label: 'Not sure' }],
  writes: (config) => [config.saveAs, ...(config.saveConfidenceAs ? [config.saveConfidenceAs] : [])],
  run: async (ctx, config) => {
    let guess;
    try {
      guess = await ctx.services.ai.classifyIntent(ctx.render(config.text), config.threshold === undefined ? {} : { threshold: config.threshold });
    } catch (error) {
      return { kind: 'error', message: `intent classification failed: ${(error as Error).message}` };
    }
    const routed = guess.intent !== null && config.intents.includes(guess.intent) ? guess.intent : null;
    ctx.setVariable(config.saveAs, routed ?? '');
    if (config.saveConfidenceAs) ctx.setVariable(config.saveConfidenceAs, Math.round(guess.confidence * 1000) / 1000);
    return next(routed ?? NOT_SURE_PORT);
  },
});

/**
 * A flow after the workspace renamed an intent: classify-intent nodes route on the new name, and the edge
 * that left the old name's output leaves the new one's. A node that already listed the new name keeps it,
 * with its own edge if it had one (else the old name's). `changed` is false when no node routed on `from`.
 */
export function renameIntentRoutes(document: FlowDocument, from: string, to: string): { document: FlowDocument; changed: boolean } {
  const renamed = new Set<string>();
  const merged = new Set<string>();
  const nodes = document.nodes.map((node) => {
    const intents = node.type === classifyIntentNode.type ? node.data.intents : undefined;
    if (!Array.isArray(intents) || !intents.includes(from)) return node;
    renamed.add(node.id);
    if (intents.includes(to)) merged.add(node.id);
    const next = intents.includes(to) ? intents.filter((i) => i !== from) : intents.map((i) => (i === from ? to : i));
    return { ...node, data: { ...node.data, intents: next } };
  });
  if (renamed.size === 0) return { document, changed: false };
  const hasEdge = (source: string, handle: string) => document.edges.some((e) => e.source === source && e.sourceHandle === handle);
  const edges = document.edges.flatMap((edge) => {
    if (!renamed.has(edge.source) || edge.sourceHandle !== from) return [edge];
    if (merged.has(edge.source) && hasEdge(edge.source, to)) return [];
    return [{ ...edge, sourceHandle: to }];
  });
  return { document: { ...document, nodes, edges }, changed: true };
}
