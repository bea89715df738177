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
    expect(result.failed).toBe('invalid config: text: write a message or attach media');
  });
});
