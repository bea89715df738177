import { z } from 'zod';
import { defineNode, next } from '../define.ts';
import { VariableName } from '../flow/document.ts';
import type { MessageEvent } from '../schemas/events.ts';
import { hint } from './hints.ts';
import { Confidence, InputText, LanguageCode } from './language-fields.ts';

/**
 * What the platform says about the customer's language (a locale such as ms-MY): it settles near ties that two
 * words cannot, such as Malay against Indonesian.
 */
function preferredLanguage(message: MessageEvent | undefined): string | undefined {
  const locale = message?.locale ?? message?.from.locale;
  const code = locale?.toLowerCase().split(/[-_]/)[0];
  return code && /^[a-z]{2}$/.test(code) ? code : undefined;
}

export const detectLanguageNode = defineNode({
  type: 'detect-language',
  typeVersion: 1,
  category: 'data',
  title: 'Detect language',
  description: "Sets the conversation's language from the customer's message, for language conditions, translations and agents.",
  icon: 'languages',
  hasErrorPort: true,
  config: z.object({
    text: InputText,
    candidates: z
      .array(LanguageCode)
      .default([])
      .meta(hint({ title: 'Only these languages', itemLabel: 'Language', description: 'Leave empty to consider every supported language; a short list makes short messages more reliable.' })),
    minConfidence: Confidence.default(0.5).meta(hint({ title: 'Minimum confidence', description: 'Below it the language stays as it was and the flow takes "Unknown".' })),
    keepKnown: z
      .boolean()
      .default(false)
      .meta(hint({ title: 'Keep a known language', description: 'When the conversation already has a language, use it without detecting again.' })),
    saveAs: VariableName.optional().meta(hint({ title: 'Save language as', description: 'A variable for the detected code; optional.' })),
  }),
  ports: () => [
    { id: 'next', label: 'Detected' },
    { id: 'unknown', label: 'Unknown' },
  ],
  writes: (config) => (config.saveAs ? [config.saveAs] : []),
  run: async (ctx, config) => {
    const known = ctx.conversation.language;
    if (config.keepKnown && known) {
      if (config.saveAs) ctx.setVariable(config.saveAs, known);
      return next();
    }
    const prefer = preferredLanguage(ctx.message);
    let guess;
    try {
      guess = await ctx.services.ai.detectLanguage(ctx.render(config.text), { ...(config.candidates.length > 0 ? { candidates: config.candidates } : {}), ...(prefer ? { prefer } : {}) });
    } catch (error) {
      return { kind: 'error', message: `language detection failed: ${(error as Error).message}` };
    }
    if (!guess.language || guess.confidence < config.minConfidence) return next('unknown');
    if (config.saveAs) ctx.setVariable(config.saveAs, guess.language);
    if (guess.language !== known) ctx.emit({ type: 'set-language', language: guess.language });
    return next();
  },
});
