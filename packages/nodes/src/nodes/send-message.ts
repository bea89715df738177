import { z } from 'zod';
import { defineNode, next, type RunContext } from '../define.ts';
import type { Button, OutboundMessage } from '../schemas/outbound.ts';
import { templateMessage } from '../templates/message-template.ts';
import { hint } from './hints.ts';

export const ButtonConfig = z.object({
  id: z.string().min(1).meta(hint({ title: 'Id', description: 'Sent back when the button is tapped; replies are matched by it.' })),
  title: z.string().min(1).max(40).meta(hint({ title: 'Title', widget: 'template' })),
});

export const sendMessageConfig = z.object({
  template: z
    .string()
    .optional()
    .meta(
      hint({
        title: 'Template',
        optionsFrom: 'message-templates',
        description: "A saved reply, sent in the customer's language when it has that variant, with its own buttons. Empty: write the message here.",
      }),
    ),
  text: z
    .string()
    .default('')
    .meta(hint({ title: 'Message', widget: 'template-multiline', hiddenWhen: 'template', description: 'Use {{variables}} to personalize it; with media it is the caption.' })),
  buttons: z.array(ButtonConfig).max(10).default([]).meta(hint({ title: 'Buttons', itemLabel: 'Button', hiddenWhen: 'template', description: 'Up to 10.' })),
  quickReplies: z.boolean().default(false).meta(hint({ title: 'Show buttons as quick replies', hiddenWhen: 'template' })),
  media: z
    .object({
      type: z.enum(['image', 'audio', 'video', 'file']).meta(hint({ title: 'Media type' })),
      url: z.string().min(1).meta(hint({ title: 'Media URL', widget: 'template', placeholder: 'https://…' })),
      name: z.string().optional().meta(hint({ title: 'File name' })),
    })
    .optional()
    .meta(hint({ title: 'Media' })),
});

/** Titles are templates; ids stay as written, since a tapped button's reply is matched by its id. */
export function renderButtons(ctx: RunContext, buttons: readonly z.infer<typeof ButtonConfig>[]): Button[] {
  return buttons.map((b) => ({ id: b.id, title: ctx.render(b.title) }));
}

type MediaConfig = NonNullable<z.infer<typeof sendMessageConfig>['media']>;

function mediaMessage(ctx: RunContext, media: MediaConfig, caption: string, buttons: Button[]): OutboundMessage {
  return {
    type: 'media',
    attachment: { type: media.type, url: ctx.render(media.url), name: media.name },
    caption: caption === '' ? undefined : caption,
    buttons,
  };
}

export function renderOutbound(ctx: RunContext, config: z.infer<typeof sendMessageConfig>): OutboundMessage {
  const buttons = renderButtons(ctx, config.buttons);
  if (config.media) return mediaMessage(ctx, config.media, ctx.render(config.text), buttons);
  return { type: 'text', text: ctx.render(config.text), buttons, quickReplies: config.quickReplies };
}

/** A template's text with the node's media: the text becomes the caption (a platform template goes as it is). */
function withMedia(ctx: RunContext, message: OutboundMessage, config: z.infer<typeof sendMessageConfig>): OutboundMessage {
  if (!config.media || message.type !== 'text') return message;
  return mediaMessage(ctx, config.media, message.text, message.buttons);
}

export const sendMessageNode = defineNode({
  type: 'send-message',
  typeVersion: 1,
  category: 'messaging',
  title: 'Send message',
  description: 'Sends text with {{variables}}, buttons or quick replies, or media.',
  icon: 'message',
  // The platform's answer comes after the flow moved on: a permanent refusal arrives as a `delivery-failed` input,
  // which the interpreter routes here (with {{delivery.error}}). Unconnected, the failure shows only on the message.
  hasErrorPort: true,
  errorPortLabel: 'Not delivered',
  config: sendMessageConfig.refine((c) => c.template !== undefined || c.text.trim() !== '' || c.media !== undefined, {
    message: 'write a message, pick a template or attach media',
    path: ['text'],
  }),
  ports: () => [{ id: 'next', label: 'Next' }],
  run: async (ctx, config) => {
    if (config.template === undefined) {
      ctx.emit({ type: 'send', nodeId: ctx.node.id, message: renderOutbound(ctx, config) });
      return next();
    }
    let template;
    try {
      template = await ctx.services.templates.get(config.template);
    } catch (error) {
      return { kind: 'error', message: `could not load the template: ${(error as Error).message}` };
    }
    if (!template) return { kind: 'error', message: 'the template this node sends was deleted: pick another one' };
    const message = templateMessage(template, { language: ctx.conversation.language, channelType: ctx.conversation.channelType, render: (text) => ctx.render(text) });
    ctx.emit({ type: 'send', nodeId: ctx.node.id, message: withMedia(ctx, message, config) });
    return next();
  },
});
