import { z } from 'zod';
import { defineNode, next, type RunContext } from '../define.ts';
import type { Button, OutboundMessage } from '../schemas/outbound.ts';
import { hint } from './hints.ts';

export const ButtonConfig = z.object({
  id: z.string().min(1).meta(hint({ title: 'Id', description: 'Sent back when the button is tapped; replies are matched by it.' })),
  title: z.string().min(1).max(40).meta(hint({ title: 'Title', widget: 'template' })),
});

export const sendMessageConfig = z.object({
  text: z
    .string()
    .default('')
    .meta(hint({ title: 'Message', widget: 'template-multiline', description: 'Use {{variables}} to personalize it; with media it is the caption.' })),
  buttons: z.array(ButtonConfig).max(10).default([]).meta(hint({ title: 'Buttons', itemLabel: 'Button', description: 'Up to 10.' })),
  quickReplies: z.boolean().default(false).meta(hint({ title: 'Show buttons as quick replies' })),
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

export function renderOutbound(ctx: RunContext, config: z.infer<typeof sendMessageConfig>): OutboundMessage {
  const buttons = renderButtons(ctx, config.buttons);
  if (config.media) {
    const caption = ctx.render(config.text);
    return {
      type: 'media',
      attachment: { type: config.media.type, url: ctx.render(config.media.url), name: config.media.name },
      caption: caption === '' ? undefined : caption,
      buttons,
    };
  }
  return { type: 'text', text: ctx.render(config.text), buttons, quickReplies: config.quickReplies };
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
  config: sendMessageConfig.refine((c) => c.text.trim() !== '' || c.media !== undefined, {
    message: 'write a message or attach media',
    path: ['text'],
  }),
  ports: () => [{ id: 'next', label: 'Next' }],
  run: (ctx, config) => {
    ctx.emit({ type: 'send', nodeId: ctx.node.id, message: renderOutbound(ctx, config) });
    return next();
  },
});
