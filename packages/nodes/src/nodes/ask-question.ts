import { z } from 'zod';
import { defineNode, next, type RunContext } from '../define.ts';
import { contentText } from '../schemas/events.ts';
import { VariableName } from '../flow/document.ts';
import { ButtonConfig, renderButtons } from './send-message.ts';
import { hint } from './hints.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
// E.164-ish: optional +, 7 to 15 digits once spaces, dashes, dots and parentheses are removed.
const PHONE = /^\+?\d{7,15}$/;

export const askQuestionConfig = z.object({
  question: z.string().min(1, 'write the question').meta(hint({ title: 'Question', widget: 'template-multiline' })),
  validation: z
    .enum(['text', 'number', 'email', 'phone', 'choice'])
    .default('text')
    .meta(
      hint({
        title: 'Expected answer',
        optionLabels: { text: 'Any text', number: 'A number', email: 'An email address', phone: 'A phone number', choice: 'One of the choices' },
      }),
    ),
  choices: z
    .array(ButtonConfig)
    .max(10)
    .default([])
    .meta(hint({ title: 'Choices', itemLabel: 'Choice', description: 'A reply matches a choice by its button, its number or its title.' })),
  saveAs: VariableName.meta(hint({ title: 'Save answer as', description: 'The flow variable that receives the accepted answer.', placeholder: 'answer' })),
  retryMessage: z
    .string()
    .default("Sorry, I didn't get that. {{question}}")
    .meta(hint({ title: 'Retry message', widget: 'template-multiline', description: '{{question}} repeats the question.' })),
  maxRetries: z.number().int().min(0).max(10).default(2).meta(hint({ title: 'Retries', description: 'Times to ask again before giving up.' })),
  /** 0 waits forever. */
  timeoutSeconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 24 * 3600)
    .default(0)
    .meta(hint({ title: 'Timeout (seconds)', description: '0 waits forever.' })),
});
type AskConfig = z.infer<typeof askQuestionConfig>;

/** Parses a reply by the question's validation; `undefined` when it is not acceptable. */
export function acceptAnswer(ctx: RunContext, config: AskConfig): unknown {
  const message = ctx.message;
  if (!message) return undefined;
  const content = message.content;
  const text = contentText(content).trim();
  switch (config.validation) {
    case 'text':
      return text === '' ? undefined : text;
    case 'number': {
      const value = Number(text.replace(',', '.'));
      return text !== '' && Number.isFinite(value) ? value : undefined;
    }
    case 'email':
      return EMAIL.test(text) ? text.toLowerCase() : undefined;
    case 'phone': {
      const digits = text.replace(/[\s().-]/g, '');
      return PHONE.test(digits) ? digits : undefined;
    }
    case 'choice': {
      const lower = text.toLowerCase();
      const byId = content.type === 'interactive' || content.type === 'postback' ? (content.type === 'interactive' ? content.id : content.payload) : null;
      const index = /^\d+$/.test(lower) ? Number(lower) - 1 : -1;
      const choice =
        config.choices.find((c) => c.id === byId) ??
        config.choices[index] ??
        config.choices.find((c) => c.title.toLowerCase() === lower || c.id.toLowerCase() === lower);
      return choice?.id;
    }
    default: {
      const unreachable: never = config.validation;
      return unreachable;
    }
  }
}

function ask(ctx: RunContext, config: AskConfig, text: string) {
  ctx.emit({ type: 'send', nodeId: ctx.node.id, message: { type: 'text', text, buttons: renderButtons(ctx, config.choices), quickReplies: config.validation === 'choice' } });
}

export const askQuestionNode = defineNode({
  type: 'ask-question',
  typeVersion: 1,
  category: 'messaging',
  title: 'Ask question',
  templateNames: ['question'],
  description: 'Asks, waits for the reply, validates it, stores it in a variable; re-asks, then gives up or times out.',
  icon: 'help',
  hasErrorPort: false,
  waits: true,
  config: askQuestionConfig.refine((c) => c.validation !== 'choice' || c.choices.length > 0, {
    message: 'a choice question needs choices',
    path: ['choices'],
  }),
  ports: () => [
    { id: 'answered', label: 'Answered' },
    { id: 'invalid', label: 'No valid answer' },
    { id: 'timeout', label: 'Timed out' },
  ],
  writes: (config) => [config.saveAs],
  run: (ctx, config) => {
    ask(ctx, config, ctx.render(config.question));
    const token = config.timeoutSeconds === 0 ? undefined : ctx.scheduleTimer(config.timeoutSeconds);
    return { kind: 'wait', wait: 'reply', token, attempts: 0 };
  },
  resume: (ctx, config, cursor) => {
    if (ctx.input.kind === 'timer') return next('timeout');
    if (ctx.input.kind !== 'message') return { kind: 'wait', wait: 'reply', token: cursor.token, attempts: cursor.attempts };
    const answer = acceptAnswer(ctx, config);
    if (answer !== undefined) {
      if (cursor.token) ctx.emit({ type: 'cancel-timer', token: cursor.token });
      ctx.setVariable(config.saveAs, answer);
      return next('answered');
    }
    if (cursor.attempts >= config.maxRetries) {
      if (cursor.token) ctx.emit({ type: 'cancel-timer', token: cursor.token });
      return next('invalid');
    }
    ask(ctx, config, ctx.render(config.retryMessage, undefined, { question: ctx.render(config.question) }));
    return { kind: 'wait', wait: 'reply', token: cursor.token, attempts: cursor.attempts + 1 };
  },
});
