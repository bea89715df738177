import { z } from 'zod';
import { defineNode, next } from '../define.ts';
import { VariableName } from '../flow/document.ts';
import { WordListMissing } from '../word-lists.ts';
import { hint } from './hints.ts';
import { InputText } from './language-fields.ts';

export const FOUND_PORT = 'found';

export const sensitiveWordsNode = defineNode({
  type: 'sensitive-words',
  typeVersion: 1,
  category: 'logic',
  title: 'Check sensitive words',
  description: "Looks for words on the workspace's lists (insults, competitors, banned terms), also when disguised as l33t or s p a c e d; routes by whether any was found.",
  icon: 'shield',
  hasErrorPort: true,
  config: z
    .object({
      text: InputText,
      lists: z
        .array(z.string().min(1))
        .min(1, 'choose at least one word list')
        .meta(hint({ title: 'Word lists', optionsFrom: 'word-lists', description: 'Kept under Word lists; a word on any of them counts.' })),
      saveMatchesAs: VariableName.optional().meta(hint({ title: 'Save words found as', description: 'A variable for the list of words found, as written; optional.' })),
      saveCensoredAs: VariableName.optional().meta(
        hint({ title: 'Save censored text as', description: 'A variable for the text with each word found covered by *, for a note or a log; optional.' }),
      ),
    })
    .refine((c) => new Set(c.lists).size === c.lists.length, { message: 'a word list is chosen twice', path: ['lists'] }),
  ports: () => [
    { id: FOUND_PORT, label: 'Found' },
    { id: 'next', label: 'Clean' },
  ],
  writes: (config) => [config.saveMatchesAs, config.saveCensoredAs].filter((name): name is string => name !== undefined),
  run: async (ctx, config) => {
    let result;
    try {
      result = await ctx.services.wordLists.check(ctx.render(config.text), config.lists);
    } catch (error) {
      if (error instanceof WordListMissing) return { kind: 'error', message: error.message };
      return { kind: 'error', message: `the word check failed: ${(error as Error).message}` };
    }
    if (config.saveMatchesAs) ctx.setVariable(config.saveMatchesAs, result.matches.map((m) => m.text));
    if (config.saveCensoredAs) ctx.setVariable(config.saveCensoredAs, result.censored);
    return next(result.matches.length > 0 ? FOUND_PORT : 'next');
  },
});
