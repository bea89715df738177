import { describe, expect, it } from 'vitest';
import type { KnowledgeAnswer } from '../ai.ts';
import { converse, flow, message, sentTexts } from '../interpreter/testing.ts';

function knowledge(answers: Record<string, KnowledgeAnswer>) {
  const asked: { question: string; language: string | null; threshold?: number }[] = [];
  return {
    asked,
    answerFromKnowledge: async (question: string, options: { language: string | null; threshold?: number }) => {
      asked.push({ question, ...options });
      return answers[question] ?? null;
    },
  };
}

const kbFlow = (data: Record<string, unknown> = {}) =>
  flow(
    {
      start: { type: 'start' },
      kb: { type: 'answer-from-knowledge', data: { saveArticleAs: 'article', ...data } },
      more: { type: 'send-message', data: { text: 'Anything else? ({{article}})' } },
      human: { type: 'handoff', data: { team: 'care' } },
      broken: { type: 'send-message', data: { text: 'Sorry: {{lastError}}' } },
    },
    ['start -> kb', 'kb -> more', 'kb.no_answer -> human', 'kb.error -> broken'],
  );

const returns: KnowledgeAnswer = { text: 'Devoluciones gratis durante 30 días.', articleId: 'a1', title: 'Devoluciones', score: 0.8, language: 'es' };

describe('answer from knowledge base', () => {
  it("replies with the article's answer, in the conversation's language, and goes on", async () => {
    const ai = knowledge({ '¿Puedo devolver unos zapatos?': returns });
    const result = await converse(kbFlow({ threshold: 0.5 }), { ai, conversation: { language: 'es' } }).send(message('¿Puedo devolver unos zapatos?'));
    expect(sentTexts(result)).toEqual(['Devoluciones gratis durante 30 días.', 'Anything else? (Devoluciones)']);
    expect(ai.asked).toEqual([{ question: '¿Puedo devolver unos zapatos?', language: 'es', threshold: 0.5 }]);
  });

  it('takes "No answer" when nothing matches well enough, and for an empty message without asking', async () => {
    const ai = knowledge({});
    const result = await converse(kbFlow(), { ai }).send(message('what is the meaning of life'));
    expect(result.effects).toContainEqual(expect.objectContaining({ type: 'handoff', team: 'care' }));
    await converse(kbFlow(), { ai }).send(message({ type: 'image', url: 'https://x.example/a.png' }));
    expect(ai.asked).toHaveLength(1);
  });

  it('takes the error port when the search fails', async () => {
    const ai = { answerFromKnowledge: () => Promise.reject(new Error('database unavailable')) };
    expect(sentTexts(await converse(kbFlow(), { ai }).send(message('returns?')))).toEqual(['Sorry: knowledge search failed: database unavailable']);
  });
});
