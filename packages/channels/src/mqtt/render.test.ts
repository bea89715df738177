import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '@signalbox/nodes';
import { renderMqtt, replyTopic } from './render.ts';

const text = (body: string): OutboundMessage => ({ type: 'text', text: body, buttons: [], quickReplies: false });

describe('an MQTT reply', () => {
  it('is the generic webhook body as JSON, on the template topic with the conversation filled in', () => {
    const rendered = renderMqtt({ outboundTopic: 'shop/{conversationId}/out', id: '17', conversationId: 'c-42', to: 'u-7', inReplyTo: 'evt-1', message: text('echo: hola') });
    expect(rendered.ok).toBe(true);
    if (!rendered.ok) return;
    expect(rendered.reply.topic).toBe('shop/c-42/out');
    expect(JSON.parse(rendered.reply.payload)).toEqual({ id: '17', conversationId: 'c-42', to: 'u-7', inReplyTo: 'evt-1', text: 'echo: hola', buttons: [], attachments: [] });
  });

  it('carries buttons and list rows as buttons, like the webhook', () => {
    const message: OutboundMessage = { type: 'text', text: 'Pick', buttons: [{ id: 'a', title: 'A' }], quickReplies: false };
    const rendered = renderMqtt({ outboundTopic: 'out', id: '1', conversationId: 'c', to: 'u', inReplyTo: null, message });
    expect(rendered.ok && JSON.parse(rendered.reply.payload)).toMatchObject({ buttons: [{ id: 'a', title: 'A' }], inReplyTo: null });
  });

  it('puts every conversation on one fixed topic when the template has no placeholder', () => {
    expect(replyTopic('replies', 'c-1')).toEqual({ ok: true, topic: 'replies' });
    expect(replyTopic('replies', 'c+1')).toEqual({ ok: true, topic: 'replies' });
  });

  it('gives a multi-level conversation back its levels', () => {
    expect(replyTopic('shop/{conversationId}/out', 'eu/store-3')).toEqual({ ok: true, topic: 'shop/eu/store-3/out' });
  });

  it.each(['c+1', 'c#', 'a\u0000b'])('refuses conversation %j, which would make an invalid topic', (conversationId) => {
    const rendered = renderMqtt({ outboundTopic: 'shop/{conversationId}/out', id: '1', conversationId, to: 'u', inReplyTo: null, message: text('x') });
    expect(rendered.ok).toBe(false);
    expect(!rendered.ok && rendered.error).toContain('cannot be part of an MQTT topic');
  });

  it('refuses a template that makes a $-topic', () => {
    expect(replyTopic('{conversationId}/out', '$SYS')).toMatchObject({ ok: false });
  });
});
