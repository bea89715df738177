import { z } from 'zod';
import { defineNode, next } from '../define.ts';
import { VariableName } from '../flow/document.ts';
import { hint } from './hints.ts';
import { InputText, LanguageCode } from './language-fields.ts';

export const translateNode = defineNode({
  type: 'translate',
  typeVersion: 1,
  category: 'data',
  title: 'Translate',
  description: "Translates between the customer's language and the team's working language, into a variable.",
  icon: 'languages',
  hasErrorPort: true,
  config: z.object({
    direction: z
      .enum(['to-working', 'to-customer'])
      .default('to-working')
      .meta(
        hint({
          title: 'Direction',
          optionLabels: { 'to-working': "Customer's language → working language", 'to-customer': "Working language → customer's language" },
        }),
      ),
    text: InputText,
    workingLanguage: LanguageCode.default('en').meta(hint({ title: 'Working language', placeholder: 'en' })),
    saveAs: VariableName.default('translation').meta(hint({ title: 'Save translation as' })),
  }),
  ports: () => [{ id: 'next', label: 'Translated' }],
  writes: (config) => [config.saveAs],
  run: async (ctx, config) => {
    const text = ctx.render(config.text);
    const customer = ctx.conversation.language || null;
    const source = config.direction === 'to-working' ? customer : config.workingLanguage;
    const target = config.direction === 'to-working' ? config.workingLanguage : customer;
    // Nothing to do (same language, no text) costs no provider call; an unknown customer language cannot be a target.
    if (text.trim() === '' || source === target) {
      ctx.setVariable(config.saveAs, text);
      return next();
    }
    if (!target) return { kind: 'error', message: "the customer's language is not known yet (detect it first)" };
    try {
      const translated = await ctx.services.ai.translate({ text, source, target });
      ctx.setVariable(config.saveAs, translated.text);
    } catch (error) {
      return { kind: 'error', message: `translation failed: ${(error as Error).message}` };
    }
    return next();
  },
});
