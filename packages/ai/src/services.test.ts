import { describe, expect, it } from 'vitest';
import { TranslationUnavailable } from '@signalbox/nodes';
import type { LanguageDetector } from './language/detector.ts';
import { aiServices } from './services.ts';
import { TranslationError } from './translation/errors.ts';
import { createInMemoryTranslationMemory } from './translation/memory.ts';
import type { TranslationProvider } from './translation/provider.ts';
import { createTranslator } from './translation/translator.ts';

/** A provider that upper-cases, and counts what it was sent. */
function shoutingProvider(): TranslationProvider & { sent: string[] } {
  const sent: string[] = [];
  return {
    name: 'shout',
    sent,
    translate: async (request) => {
      sent.push(...request.texts);
      return request.texts.map((text) => ({ text: text.toUpperCase(), detectedSource: 'es' }));
    },
  };
}

const detector = (): LanguageDetector & { seen: unknown[] } => {
  const seen: unknown[] = [];
  return {
    seen,
    detect: (text, options) => {
      seen.push(options);
      return { language: text.startsWith('hola') ? 'es' : null, confidence: 0.9, alternatives: [{ language: 'pt', confidence: 0.1 }] };
    },
  };
};

function services(provider: TranslationProvider | null, language = detector()) {
  return aiServices({
    language: async () => language,
    intents: async () => ({ classify: () => ({ intent: 'order_status', confidence: 0.9, runnersUp: [] }) }),
    emotion: async () => ({ detect: () => ({ emotion: 'joy', confidence: 0.8 }) }),
    translator: createTranslator({ provider, memory: createInMemoryTranslationMemory() }),
    searchKnowledge: async () => [
      { article: { id: 'en-1', kind: 'faq' as const, title: 'Returns', body: 'Free returns within **30 days**.', language: 'en' }, score: 0.5, normalizedScore: 0.9 },
      { article: { id: 'es-1', kind: 'faq' as const, title: 'Devoluciones', body: 'Devoluciones gratis durante 30 días.', language: 'es' }, score: 0.4, normalizedScore: 0.7 },
      { article: { id: 'de-1', kind: 'faq' as const, title: 'Rückgabe', body: 'Rückgabe kostenlos.', language: 'de' }, score: 0.1, normalizedScore: 0.2 },
    ],
    llm: null,
  });
}

describe('the language services flows call', () => {
  it('detects with the candidates and the preferred language passed on, and answers only language and confidence', async () => {
    const language = detector();
    const ai = services(null, language);
    expect(await ai.detectLanguage('hola amigo', { candidates: ['es', 'pt'], prefer: 'es' })).toEqual({ language: 'es', confidence: 0.9 });
    expect(await ai.detectLanguage('👍', {})).toEqual({ language: null, confidence: 0.9 });
    expect(language.seen).toEqual([{ candidates: ['es', 'pt'], prefer: ['es'] }, {}]);
  });

  it('translates through the memory: the same sentence twice reaches the provider once', async () => {
    const provider = shoutingProvider();
    const ai = services(provider);
    expect(await ai.translate({ text: 'hola', source: null, target: 'en' })).toEqual({ text: 'HOLA', source: 'es' });
    expect(await ai.translate({ text: 'hola', source: null, target: 'en' })).toEqual({ text: 'HOLA', source: 'es' });
    expect(provider.sent).toEqual(['hola']);
  });

  it("answers in the customer's language when an article in it is good enough, as plain chat text, and not below the threshold", async () => {
    const ai = services(null);
    expect(await ai.answerFromKnowledge('¿devoluciones?', { language: 'es' })).toEqual({ text: 'Devoluciones gratis durante 30 días.', articleId: 'es-1', title: 'Devoluciones', score: 0.7, language: 'es' });
    expect(await ai.answerFromKnowledge('returns?', { language: 'de' })).toMatchObject({ articleId: 'en-1', text: 'Free returns within 30 days.' });
    expect(await ai.answerFromKnowledge('returns?', { language: 'en', threshold: 0.95 })).toBeNull();
  });

  it('turns "no provider" and provider failures into TranslationUnavailable with the reason', async () => {
    await expect(services(null).translate({ text: 'hola', source: 'es', target: 'en' })).rejects.toThrow(new TranslationUnavailable('no translation provider is configured'));
    const failing: TranslationProvider = {
      name: 'deepl',
      translate: () => Promise.reject(new TranslationError('quota', 'deepl', 'Quota exceeded')),
    };
    const error = await services(failing)
      .translate({ text: 'hola', source: 'es', target: 'en' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranslationUnavailable);
    expect((error as Error).message).toMatch(/^quota: .*Quota exceeded/);
  });
});
