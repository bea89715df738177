import { describe, expect, it } from 'vitest';
import { effectsOf, flow, message, runOnce } from '../interpreter/testing.ts';
import { OutboundMessage } from '../schemas/outbound.ts';

const say = (data: Record<string, unknown>, variables: { name: string; default?: unknown }[] = []) =>
  flow({ start: { type: 'start' }, say: { type: 'send-message', data } }, ['start -> say'], variables);

async function sent(data: Record<string, unknown>, options: Parameters<typeof runOnce>[2] = {}, input = message('hi there')) {
  const result = await runOnce(say(data, [{ name: 'orderId', default: 'A-77' }]), input, options);
  expect(result.failed).toBeNull();
  const messages = effectsOf(result, 'send').map((e) => e.message);
  // Adapters parse what a flow sends by the published outbound schema.
  for (const m of messages) expect(OutboundMessage.parse(m)).toEqual(m);
  return messages;
}

describe('send message', () => {
  it('sends its text, tagged with the node that sent it', async () => {
    const result = await runOnce(say({ text: 'Welcome!' }), message('hi'));
    expect(result.effects).toEqual([{ type: 'send', nodeId: 'say', message: { type: 'text', text: 'Welcome!', buttons: [], quickReplies: false } }]);
  });

  it('fills in the contact, the message, the conversation and flow variables', async () => {
    const [out] = await sent(
      { text: 'Hi {{contact.name}} ({{contact.tier}}), you said "{{message.text}}" on {{conversation.channel}}; order {{orderId}} / {{vars.orderId}}' },
      { contact: { name: 'Ada', attributes: { tier: 'gold' } }, conversation: { channelType: 'whatsapp' } },
    );
    expect(out).toMatchObject({ text: 'Hi Ada (gold), you said "hi there" on whatsapp; order A-77 / A-77' });
  });

  it('uses the fallback when a value is missing or empty', async () => {
    const text = 'Hi {{contact.name | there}}!';
    expect((await sent({ text }, { contact: { name: null } }))[0]).toMatchObject({ text: 'Hi there!' });
    expect((await sent({ text }, { contact: { name: '' } }))[0]).toMatchObject({ text: 'Hi there!' });
    expect((await sent({ text }, { contact: { name: 'Grace' } }))[0]).toMatchObject({ text: 'Hi Grace!' });
    expect((await sent({ text: '[{{nothing.here}}]' }))[0]).toMatchObject({ text: '[]' });
  });

  it('sends buttons with rendered titles, and quick replies when asked', async () => {
    const [out] = await sent({
      text: 'Pick one',
      buttons: [
        { id: 'track', title: 'Track {{orderId}}' },
        { id: 'human', title: 'Talk to us' },
      ],
      quickReplies: true,
    });
    expect(out).toEqual({
      type: 'text',
      text: 'Pick one',
      buttons: [
        { id: 'track', title: 'Track A-77' },
        { id: 'human', title: 'Talk to us' },
      ],
      quickReplies: true,
    });
  });

  it('sends media with a rendered URL and the text as its caption', async () => {
    const [out] = await sent({ text: 'Your invoice {{orderId}}', media: { type: 'file', url: 'https://cdn.example.com/{{orderId}}.pdf', name: 'invoice.pdf' } });
    expect(out).toEqual({
      type: 'media',
      attachment: { type: 'file', url: 'https://cdn.example.com/A-77.pdf', name: 'invoice.pdf' },
      caption: 'Your invoice A-77',
      buttons: [],
    });
  });

  it('sends media without a caption when there is no text', async () => {
    const [out] = await sent({ media: { type: 'image', url: 'https://cdn.example.com/cat.png' } });
    expect(out).toMatchObject({ type: 'media', caption: undefined });
  });

  it('fails the run, sending nothing, when there is neither text nor media', async () => {
    const result = await runOnce(say({ text: '   ' }), message('hi'));
    expect(result.effects).toEqual([]);
    expect(result.failed).toBe('invalid config: text: write a message, pick a template or attach media');
  });

  describe('with a template', () => {
    const templates = {
      shipped: {
        name: 'order_shipped',
        defaultLanguage: 'en',
        variants: [
          { language: 'en', text: 'Hi {{contact.name | there}}, order {{orderId}} is on its way.', buttons: [{ id: 'track', title: 'Track {{orderId}}' }] },
          { language: 'es', text: 'Hola {{contact.name | amigo}}, tu pedido {{orderId}} está en camino.', whatsappLanguage: 'es_MX' },
        ],
      },
      registered: {
        name: 'order_shipped',
        defaultLanguage: 'en',
        variants: [{ language: 'en', text: 'Order {{orderId}} for {{contact.name | you}}: {{orderId}} ships today.' }],
        whatsapp: { category: 'utility' as const },
      },
    };

    it("sends the variant in the conversation's language, with the flow's variables filled in", async () => {
      const [out] = await sent({ template: 'shipped' }, { templates, contact: { name: 'Lucía' }, conversation: { language: 'es' } });
      expect(out).toEqual({ type: 'text', text: 'Hola Lucía, tu pedido A-77 está en camino.', buttons: [], quickReplies: false });
    });

    it('falls back to the default language when the template has no variant in the conversation language', async () => {
      for (const language of ['fr', null]) {
        const [out] = await sent({ template: 'shipped' }, { templates, contact: { name: null }, conversation: { language } });
        expect(out).toEqual({ type: 'text', text: 'Hi there, order A-77 is on its way.', buttons: [{ id: 'track', title: 'Track A-77' }], quickReplies: false });
      }
    });

    it('goes as a WhatsApp template, variables as positional parameters, once registered with Meta', async () => {
      const [out] = await sent({ template: 'registered' }, { templates, contact: { name: 'Ada' }, conversation: { channelType: 'whatsapp' } });
      expect(out).toEqual({ type: 'template', name: 'order_shipped', language: 'en', parameters: ['A-77', 'Ada'], fallbackText: 'Order A-77 for Ada: A-77 ships today.' });
      const [plain] = await sent({ template: 'registered' }, { templates, contact: { name: 'Ada' }, conversation: { channelType: 'telegram' } });
      expect(plain).toMatchObject({ type: 'text', text: 'Order A-77 for Ada: A-77 ships today.' });
      const [unregistered] = await sent({ template: 'shipped' }, { templates, conversation: { channelType: 'whatsapp', language: 'es' } });
      expect(unregistered).toMatchObject({ type: 'text' });
    });

    it("sends the node's media with the template's text as the caption", async () => {
      const [out] = await sent({ template: 'shipped', media: { type: 'image', url: 'https://cdn.example.com/{{orderId}}.png' } }, { templates, conversation: { language: 'es' }, contact: { name: 'Lucía' } });
      expect(out).toEqual({ type: 'media', attachment: { type: 'image', url: 'https://cdn.example.com/A-77.png' }, caption: 'Hola Lucía, tu pedido A-77 está en camino.', buttons: [] });
    });

    it('fails the run, sending nothing, when the template was deleted', async () => {
      const result = await runOnce(say({ template: 'gone' }), message('hi'), { templates });
      expect(result.effects).toEqual([]);
      expect(result.failed).toBe('the template this node sends was deleted: pick another one');
    });
  });
});
