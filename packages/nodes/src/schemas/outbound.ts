import { z } from 'zod';

export const Button = z.object({ id: z.string().min(1), title: z.string().min(1) });
export type Button = z.infer<typeof Button>;

export const Attachment = z.object({
  type: z.enum(['image', 'audio', 'video', 'file']),
  url: z.string().min(1),
  mimeType: z.string().optional(),
  name: z.string().optional(),
});
export type Attachment = z.infer<typeof Attachment>;

/**
 * What a flow asks to send. Adapters render it per platform and degrade where a platform lacks a feature
 * (buttons become numbered options on SMS); the flow never decides that.
 */
export const OutboundMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: z.string(),
    buttons: z.array(Button).default([]),
    /** Quick replies disappear after a choice; buttons stay on the message. */
    quickReplies: z.boolean().default(false),
  }),
  z.object({ type: z.literal('media'), attachment: Attachment, caption: z.string().optional(), buttons: z.array(Button).default([]) }),
  z.object({
    type: z.literal('list'),
    text: z.string(),
    buttonTitle: z.string(),
    sections: z.array(z.object({ title: z.string(), rows: z.array(z.object({ id: z.string(), title: z.string(), description: z.string().optional() })) })),
  }),
  z.object({
    type: z.literal('template'),
    name: z.string().min(1),
    language: z.string().min(1),
    parameters: z.array(z.string()).default([]),
    /** Shown on channels without platform templates. */
    fallbackText: z.string(),
  }),
]);
export type OutboundMessage = z.infer<typeof OutboundMessage>;

/** The plain-text rendering of an outbound message, for channels and logs that only carry text. */
export function outboundText(message: OutboundMessage): string {
  switch (message.type) {
    case 'text':
      return message.text;
    case 'media':
      return message.caption ?? '';
    case 'list':
      return message.text;
    case 'template':
      return message.fallbackText;
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
}
