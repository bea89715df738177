import { z } from 'zod';
import { defineNode, next, PortId } from '../define.ts';
import { VariableName } from '../flow/document.ts';
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
            description: 'Each gets an output; any other intent takes "Not sure". The workspace\'s intents are suggested (a new workspace has presale_question, order_status, returns_refunds, payment_billing, tech_support, complaint).',
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
