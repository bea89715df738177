import { z } from 'zod';
import { defineNode, next } from '../define.ts';
import { VariableName } from '../flow/document.ts';
import { hint } from './hints.ts';
import { Confidence, InputText } from './language-fields.ts';

export const answerFromKnowledgeNode = defineNode({
  type: 'answer-from-knowledge',
  typeVersion: 1,
  category: 'messaging',
  title: 'Answer from knowledge base',
  description: "Replies with the best published article or FAQ for the customer's question, in their language where one exists; otherwise takes \"No answer\".",
  icon: 'book',
  hasErrorPort: true,
  config: z.object({
    text: InputText.meta(hint({ title: 'Question', widget: 'template', description: "What to look up; the customer's message by default." })),
    threshold: Confidence.default(0.4).meta(
      hint({ title: 'Minimum match', description: 'How much of the question an article must cover (0 to 1). Higher: fewer, surer answers.' }),
    ),
    saveArticleAs: VariableName.optional().meta(hint({ title: 'Save article title as', description: 'A variable for the title of the article used; optional.' })),
  }),
  ports: () => [
    { id: 'next', label: 'Answered' },
    { id: 'no_answer', label: 'No answer' },
  ],
  writes: (config) => (config.saveArticleAs ? [config.saveArticleAs] : []),
  run: async (ctx, config) => {
    const question = ctx.render(config.text);
    if (question.trim() === '') return next('no_answer');
    let answer;
    try {
      answer = await ctx.services.ai.answerFromKnowledge(question, { language: ctx.conversation.language || null, threshold: config.threshold });
    } catch (error) {
      return { kind: 'error', message: `knowledge search failed: ${(error as Error).message}` };
    }
    if (!answer) return next('no_answer');
    if (config.saveArticleAs) ctx.setVariable(config.saveArticleAs, answer.title);
    ctx.emit({ type: 'send', nodeId: ctx.node.id, message: { type: 'text', text: answer.text, buttons: [], quickReplies: false } });
    return next();
  },
});
