import { describe, expect, it } from 'vitest';
import { TranslationUnavailable, type TranslationRequest } from '../ai.ts';
import { converse, flow, message, sentTexts } from '../interpreter/testing.ts';

function translator(table: Record<string, string>) {
  const calls: TranslationRequest[] = [];
  return {
    calls,
    translate: async (request: TranslationRequest) => {
      calls.push(request);
      const text = table[`${request.target}:${request.text}`];
      if (text === undefined) throw new TranslationUnavailable(`no translation for "${request.text}"`);
      return { text, source: request.source };
    },
  };
}

/** In: the customer's message to English for a note; out: an English answer to the customer's language. */
function translateFlow() {
  return flow(
    {
      start: { type: 'start' },
      inward: { type: 'translate', data: { direction: 'to-working', saveAs: 'english' } },
      outward: { type: 'translate', data: { direction: 'to-customer', text: 'Your order ships tomorrow', saveAs: 'answer' } },
      reply: { type: 'send-message', data: { text: '{{answer}}' } },
      failed: { type: 'send-message', data: { text: 'Translation problem: {{lastError}}' } },
    },
    ['start -> inward', 'inward -> outward', 'outward -> reply', 'inward.error -> failed', 'outward.error -> failed'],
  );
}

describe('translate', () => {
  it("translates the customer's message to the working language and an answer back to the customer's", async () => {
    const ai = translator({ 'en:¿Cuándo llega mi pedido?': 'When does my order arrive?', 'es:Your order ships tomorrow': 'Su pedido se envía mañana' });
    const result = await converse(translateFlow(), { ai, conversation: { language: 'es' } }).send(message('¿Cuándo llega mi pedido?'));
    expect(sentTexts(result)).toEqual(['Su pedido se envía mañana']);
    expect(result.state?.variables.english).toBe('When does my order arrive?');
    expect(ai.calls).toEqual([
      { text: '¿Cuándo llega mi pedido?', source: 'es', target: 'en' },
      { text: 'Your order ships tomorrow', source: 'en', target: 'es' },
    ]);
  });

  it('makes no provider call when the customer already speaks the working language', async () => {
    const ai = translator({});
    const result = await converse(translateFlow(), { ai, conversation: { language: 'en' } }).send(message('When does it arrive?'));
    expect(sentTexts(result)).toEqual(['Your order ships tomorrow']);
    expect(ai.calls).toEqual([]);
  });

  it('takes the error port with the reason when no provider can translate', async () => {
    const ai = { translate: () => Promise.reject(new TranslationUnavailable('no translation provider is configured')) };
    const result = await converse(translateFlow(), { ai, conversation: { language: 'de' } }).send(message('Wo ist mein Paket?'));
    expect(sentTexts(result)).toEqual(['Translation problem: translation failed: no translation provider is configured']);
  });

  it("cannot translate to the customer's language before it is known, and says so", async () => {
    const ai = translator({ 'en:hola': 'hello' });
    const result = await converse(translateFlow(), { ai, conversation: { language: null } }).send(message('hola'));
    expect(sentTexts(result)).toEqual(["Translation problem: the customer's language is not known yet (detect it first)"]);
  });
});
