import { describe, expect, it } from 'vitest';
import { heldOutPhrasings as heldOut } from './default-intents.held-out.ts';
import { defaultIntentLanguages, defaultIntentNames, defaultIntentPhrases, defaultIntents } from './default-intents.ts';
import { classifyIntent, trainIntents } from './model.ts';
import { intentSetSchema } from './schema.ts';

describe('default e-commerce intents', async () => {
  const model = await trainIntents(defaultIntents);

  it('is a valid intent set with at least 12 phrases per language per intent', () => {
    expect(intentSetSchema.safeParse(defaultIntents).success).toBe(true);
    for (const name of defaultIntentNames) {
      for (const language of defaultIntentLanguages) expect(defaultIntentPhrases[name][language].length, `${name}/${language}`).toBeGreaterThanOrEqual(12);
    }
  });

  it('holds no held-out test phrase among its training phrases', () => {
    const training = new Set(defaultIntents.flatMap((i) => i.phrases.map((p) => p.toLowerCase())));
    const leaked = Object.values(heldOut).flatMap((byIntent) => Object.values(byIntent).flat()).filter((p) => training.has(p.toLowerCase()));
    expect(leaked).toEqual([]);
  });

  const shopIntents = defaultIntentNames.filter((name) => name !== 'off_topic');

  for (const language of defaultIntentLanguages) {
    it(`routes unseen ${language} phrasings to the right intent`, async () => {
      const misses: string[] = [];
      let total = 0;
      for (const name of shopIntents) {
        for (const text of heldOut[language][name]) {
          total++;
          const match = await classifyIntent(model, text, { threshold: 0 });
          if (match.intent !== name) misses.push(`${text} -> ${match.intent ?? 'null'} (expected ${name})`);
        }
      }
      // All but one: one unseen phrasing per language may land on a neighbouring intent (or off_topic).
      expect(misses.length, misses.join('\n')).toBeLessThanOrEqual(Math.floor(total / 12));
    });
  }

  it('sends most unseen off-topic questions, in every language, to off_topic', async () => {
    // Everest's height and snow this weekend: topics the off_topic phrases do not mention.
    const questions = defaultIntentLanguages.flatMap((language) => heldOut[language].off_topic);
    const elsewhere = (await Promise.all(questions.map(async (text) => [text, (await classifyIntent(model, text)).intent] as const))).filter(([, intent]) => intent !== 'off_topic' && intent !== null);
    expect(elsewhere.length, elsewhere.map(([text, intent]) => `${text} -> ${intent}`).join('\n')).toBeLessThanOrEqual(Math.floor(questions.length / 4));
  });
});
