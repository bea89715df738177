import { z } from 'zod';
import { EMOTIONS } from '../ai.ts';
import { defineNode, next } from '../define.ts';
import { VariableName } from '../flow/document.ts';
import { hint } from './hints.ts';
import { Confidence, InputText } from './language-fields.ts';

export const emotionNode = defineNode({
  type: 'emotion',
  typeVersion: 1,
  category: 'logic',
  title: 'Detect emotion',
  description: 'Routes by the feeling in the message (anger, disgust, fear, joy, sadness, surprise or neutral), e.g. to escalate angry customers.',
  icon: 'smile',
  hasErrorPort: true,
  config: z
    .object({
      text: InputText,
      routes: z
        .array(z.enum(EMOTIONS))
        .min(1, 'choose at least one emotion')
        .default(['anger'])
        .meta(hint({ title: 'Emotions with their own output', itemLabel: 'Emotion', description: 'Any other emotion, or one below the confidence, takes "Other".' })),
      minConfidence: Confidence.default(0.5).meta(hint({ title: 'Minimum confidence' })),
      saveAs: VariableName.optional().meta(hint({ title: 'Save emotion as', description: 'A variable for the emotion detected; optional.' })),
    })
    .refine((c) => new Set(c.routes).size === c.routes.length, { message: 'an emotion is listed twice', path: ['routes'] }),
  ports: (config) => [...config.routes.map((emotion) => ({ id: emotion, label: emotion[0]!.toUpperCase() + emotion.slice(1) })), { id: 'other', label: 'Other' }],
  writes: (config) => (config.saveAs ? [config.saveAs] : []),
  run: async (ctx, config) => {
    let guess;
    try {
      guess = await ctx.services.ai.detectEmotion(ctx.render(config.text));
    } catch (error) {
      return { kind: 'error', message: `emotion detection failed: ${(error as Error).message}` };
    }
    if (config.saveAs) ctx.setVariable(config.saveAs, guess.emotion);
    const routed = guess.confidence >= config.minConfidence && config.routes.includes(guess.emotion);
    return next(routed ? guess.emotion : 'other');
  },
});
