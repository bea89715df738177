import { z } from 'zod';
import type { LlmAnswer } from '../ai.ts';
import { defineNode, next } from '../define.ts';
import { VariableName } from '../flow/document.ts';
import { hint } from './hints.ts';
import { Confidence, InputText } from './language-fields.ts';

/** The reply as the customer reads it: with a numbered list of the cited titles, or with the [n] markers taken out. */
export function llmReplyText(answer: LlmAnswer, appendSources: boolean): string {
  if (!appendSources) return answer.text.replace(/[ \t]*\[\d+\]/g, '').trim();
  const sources = answer.citations.map((citation, i) => `[${i + 1}] ${citation.title}`);
  return `${answer.text}\n\n${sources.join('\n')}`;
}

export const llmAnswerNode = defineNode({
  type: 'llm-answer',
  typeVersion: 1,
  category: 'messaging',
  title: 'LLM answer',
  description:
    'A language model writes the reply from the best published articles, citing them; takes "No answer" when no article is relevant (the model is not asked) or the articles do not hold the answer.',
  icon: 'sparkles',
  hasErrorPort: true,
  config: z.object({
    question: InputText.meta(hint({ title: 'Question', widget: 'template', description: "What to answer; the customer's message by default." })),
    threshold: Confidence.default(0.4).meta(
      hint({ title: 'Minimum match', description: 'How much of the question an article must cover (0 to 1) to be given to the model.' }),
    ),
    maxArticles: z
      .number()
      .int()
      .min(1)
      .max(8)
      .default(3)
      .meta(hint({ title: 'Articles to read', description: 'The best matching articles the model reads (1 to 8). More cost more.' })),
    instructions: z
      .string()
      .max(2000)
      .default('')
      .meta(
        hint({
          title: 'Tone and style',
          widget: 'template-multiline',
          placeholder: 'Friendly and short; address the customer by first name.',
          description: 'Added to the prompt; it cannot make the model answer beyond the articles.',
        }),
      ),
    appendSources: z
      .boolean()
      .default(false)
      .meta(hint({ title: 'Append sources', description: 'Lists the cited article titles under the reply; off: the [1] markers are removed.' })),
    saveCitationsAs: VariableName.optional().meta(
      hint({ title: 'Save citations as', description: 'A variable for the cited articles, a list of { id, title }; optional.' }),
    ),
  }),
  ports: () => [
    { id: 'next', label: 'Answered' },
    { id: 'no_answer', label: 'No answer' },
  ],
  writes: (config) => (config.saveCitationsAs ? [config.saveCitationsAs] : []),
  run: async (ctx, config) => {
    const question = ctx.render(config.question);
    if (question.trim() === '') return next('no_answer');
    const instructions = ctx.render(config.instructions).trim();
    let answer;
    try {
      answer = await ctx.services.ai.answerWithLlm(question, {
        language: ctx.conversation.language || null,
        threshold: config.threshold,
        maxArticles: config.maxArticles,
        ...(instructions ? { instructions } : {}),
      });
    } catch (error) {
      return { kind: 'error', message: `LLM answer failed: ${(error as Error).message}` };
    }
    if (!answer) return next('no_answer');
    if (config.saveCitationsAs) ctx.setVariable(config.saveCitationsAs, answer.citations.map(({ id, title }) => ({ id, title })));
    ctx.emit({ type: 'send', nodeId: ctx.node.id, message: { type: 'text', text: llmReplyText(answer, config.appendSources), buttons: [], quickReplies: false } });
    return next();
  },
});
