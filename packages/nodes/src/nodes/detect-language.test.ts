import { describe, expect, it } from 'vitest';
import type { LanguageGuess } from '../ai.ts';
import { converse, effectsOf, flow, message, path, sentTexts } from '../interpreter/testing.ts';
import { validateFlow } from '../validation/validate.ts';

/** A detector that knows a few words, and records what it was asked. */
function detector(words: Record<string, LanguageGuess>) {
  const calls: { text: string; candidates?: readonly string[]; prefer?: string }[] = [];
  const detectLanguage = async (text: string, options: { candidates?: readonly string[]; prefer?: string }): Promise<LanguageGuess> => {
    calls.push({ text, ...options });
    return words[text] ?? { language: null, confidence: 0 };
  };
  return { calls, detectLanguage };
}

/** detect -> a language condition -> a reply per branch, so the test sees what later nodes saw. */
function detectFlow(data: Record<string, unknown> = {}) {
  return flow(
    {
      start: { type: 'start' },
      detect: { type: 'detect-language', data },
      route: { type: 'condition', data: { branches: [{ id: 'es', label: 'Spanish', rules: [{ kind: 'language', values: ['es'] }] }] } },
      hola: { type: 'send-message', data: { text: '¡Hola! ({{conversation.language}})' } },
      hello: { type: 'send-message', data: { text: 'Hello ({{conversation.language}})' } },
      unsure: { type: 'send-message', data: { text: 'Which language do you prefer?' } },
    },
    ['start -> detect', 'detect -> route', 'detect.unknown -> unsure', 'route.es -> hola', 'route.else -> hello'],
  );
}

describe('detect language', () => {
  it('sets the conversation language, which the nodes after it in the same step already see', async () => {
    const ai = detector({ 'dónde está mi pedido': { language: 'es', confidence: 0.93 } });
    const chat = converse(detectFlow(), { ai, conversation: { language: null } });
    const result = await chat.send(message('dónde está mi pedido'));
    expect(path(result)).toEqual(['start.next', 'detect.next', 'route.es', 'hola.next']);
    expect(sentTexts(result)).toEqual(['¡Hola! (es)']);
    expect(effectsOf(result, 'set-language')).toEqual([{ type: 'set-language', language: 'es' }]);
    expect(chat.conversation.language).toBe('es');
  });

  it('takes "Unknown" below the minimum confidence and leaves the language as it was', async () => {
    const ai = detector({ ok: { language: 'de', confidence: 0.3 } });
    const result = await converse(detectFlow({ minConfidence: 0.5 }), { ai, conversation: { language: 'fr' } }).send(message('ok'));
    expect(path(result)).toContain('detect.unknown');
    expect(effectsOf(result, 'set-language')).toEqual([]);
  });

  it('takes "Unknown" for a message with no words (an emoji), without an effect', async () => {
    const result = await converse(detectFlow(), { ai: detector({}), conversation: { language: null } }).send(message('👍'));
    expect(sentTexts(result)).toEqual(['Which language do you prefer?']);
    expect(effectsOf(result, 'set-language')).toEqual([]);
  });

  it('passes its candidate list on, and with "keep a known language" does not detect again', async () => {
    const ai = detector({ 'obrigado': { language: 'pt', confidence: 0.9 } });
    await converse(detectFlow({ candidates: ['pt', 'es'] }), { ai, conversation: { language: null } }).send(message('obrigado'));
    expect(ai.calls).toEqual([{ text: 'obrigado', candidates: ['pt', 'es'] }]);
    const kept = await converse(detectFlow({ keepKnown: true, saveAs: 'lang' }), { ai, conversation: { language: 'es' } }).send(message('obrigado'));
    expect(ai.calls).toHaveLength(1);
    expect(sentTexts(kept)).toEqual(['¡Hola! (es)']);
    expect(kept.state?.variables.lang).toBe('es');
  });

  it("passes the platform's locale on as the language to prefer in a near tie", async () => {
    const ai = detector({ 'boleh saya tahu': { language: 'ms', confidence: 0.6 } });
    const result = await converse(detectFlow(), { ai, conversation: { language: null } }).send(message('boleh saya tahu', { locale: 'ms_MY' }));
    expect(ai.calls).toEqual([{ text: 'boleh saya tahu', prefer: 'ms' }]);
    expect(effectsOf(result, 'set-language')).toEqual([{ type: 'set-language', language: 'ms' }]);
  });

  it('emits nothing when the detected language is the one the conversation has', async () => {
    const ai = detector({ hello: { language: 'en', confidence: 0.99 } });
    const result = await converse(detectFlow(), { ai, conversation: { language: 'en' } }).send(message('hello'));
    expect(effectsOf(result, 'set-language')).toEqual([]);
    expect(sentTexts(result)).toEqual(['Hello (en)']);
  });

  it('refuses a candidate that is not an ISO 639-1 code, naming the field', () => {
    const report = validateFlow(detectFlow({ candidates: ['spanish'] }));
    expect(report.errors.map((i) => `${i.nodeId} ${i.field}`)).toContain('detect candidates.0');
  });
});
