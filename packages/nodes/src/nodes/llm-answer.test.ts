import { describe, expect, it } from 'vitest';
import { LlmUnavailable, type LlmAnswer, type LlmAnswerOptions } from '../ai.ts';
import { converse, flow, message, path, sentTexts } from '../interpreter/testing.ts';
import { validateFlow } from '../validation/validate.ts';
import { llmReplyText } from './llm-answer.ts';

/** An LLM answer service that answers the questions it knows and records what it was asked. */
function llm(answers: Record<string, LlmAnswer>) {
  const asked: ({ question: string } & LlmAnswerOptions)[] = [];
  return {
    asked,
    answerWithLlm: async (question: string, options: LlmAnswerOptions) => {
      asked.push({ question, ...options });
      return answers[question] ?? null;
    },
  };
}

const llmFlow = (data: Record<string, unknown> = {}) =>
  flow(
    {
      start: { type: 'start' },
      llm: { type: 'llm-answer', data: { saveCitationsAs: 'sources', ...data } },
      more: { type: 'send-message', data: { text: 'Anything else? ({{sources.0.title}})' } },
      human: { type: 'send-message', data: { text: 'Let me find a person for you.' } },
      broken: { type: 'send-message', data: { text: 'Sorry: {{lastError}}' } },
    },
    ['start -> llm', 'llm -> more', 'llm.no_answer -> human', 'llm.error -> broken'],
  );

const returns: LlmAnswer = {
  text: 'Puedes devolverlos gratis durante 30 días [1], desde Mis pedidos [2].',
  citations: [
    { id: 'a1', title: 'Devoluciones' },
    { id: 'a2', title: 'Mis pedidos' },
  ],
};

describe('LLM answer', () => {
  it("sends the model's cited answer without the markers, saves the citations, and passes the node's settings on", async () => {
    const ai = llm({ '¿Puedo devolver unos zapatos?': returns });
    const result = await converse(llmFlow({ threshold: 0.3, maxArticles: 2, instructions: 'Tutea a {{contact.name}}.' }), { ai, conversation: { language: 'es' } }).send(
      message('¿Puedo devolver unos zapatos?'),
    );
    expect(sentTexts(result)).toEqual(['Puedes devolverlos gratis durante 30 días, desde Mis pedidos.', 'Anything else? (Devoluciones)']);
    expect(ai.asked).toEqual([{ question: '¿Puedo devolver unos zapatos?', language: 'es', threshold: 0.3, maxArticles: 2, instructions: 'Tutea a Ada.' }]);
    expect(result.state?.variables.sources).toEqual(returns.citations);
  });

  it('appends the cited titles as numbered sources when asked', async () => {
    const ai = llm({ 'returns?': returns });
    const result = await converse(llmFlow({ appendSources: true }), { ai }).send(message('returns?'));
    expect(sentTexts(result)[0]).toBe('Puedes devolverlos gratis durante 30 días [1], desde Mis pedidos [2].\n\n[1] Devoluciones\n[2] Mis pedidos');
  });

  it('uses the defaults: the customer message, 0.4, three articles, no instructions', async () => {
    const ai = llm({});
    await converse(llmFlow(), { ai, conversation: { language: '' } }).send(message('where is my parcel'));
    expect(ai.asked).toEqual([{ question: 'where is my parcel', language: null, threshold: 0.4, maxArticles: 3 }]);
  });

  it('takes "No answer" when nothing relevant was found or the model refused, and for a message without text without asking', async () => {
    const ai = llm({});
    const result = await converse(llmFlow(), { ai }).send(message('what is the meaning of life'));
    expect(path(result)).toContain('llm.no_answer');
    expect(sentTexts(result)).toEqual(['Let me find a person for you.']);
    await converse(llmFlow(), { ai }).send(message({ type: 'image', url: 'https://x.example/a.png' }));
    expect(ai.asked).toHaveLength(1);
  });

  it('takes the error port with the reason when no LLM is set or the provider fails', async () => {
    const unset = { answerWithLlm: () => Promise.reject(new LlmUnavailable('no LLM provider is set: set LLM_BASE_URL and LLM_MODEL')) };
    expect(sentTexts(await converse(llmFlow(), { ai: unset }).send(message('returns?')))).toEqual([
      'Sorry: LLM answer failed: no LLM provider is set: set LLM_BASE_URL and LLM_MODEL',
    ]);
    const limited = { answerWithLlm: () => Promise.reject(new LlmUnavailable('rate_limited: Rate limit reached')) };
    expect(sentTexts(await converse(llmFlow(), { ai: limited }).send(message('returns?')))).toEqual(['Sorry: LLM answer failed: rate_limited: Rate limit reached']);
  });

  it('is a valid flow as drawn, and refuses settings out of range naming the field', () => {
    expect(validateFlow(llmFlow()).errors).toEqual([]);
    expect(validateFlow(llmFlow({ maxArticles: 0, threshold: 1.5 })).errors.map((e) => `${e.nodeId} ${e.field}`)).toEqual(
      expect.arrayContaining(['llm maxArticles', 'llm threshold']),
    );
  });
});

describe('the reply text', () => {
  it('removes every marker, including several in a row, when sources are not appended', () => {
    expect(llmReplyText({ text: 'Free returns [1][2]. Label in the box [2].', citations: returns.citations }, false)).toBe('Free returns. Label in the box.');
  });
});
