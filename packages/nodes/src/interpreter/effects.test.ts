import { describe, expect, it } from 'vitest';
import { conversationChanges } from './effects.ts';

describe('conversationChanges', () => {
  it('adds and removes tags in order and collects the contact attributes set, the last value winning', () => {
    const changes = conversationChanges(
      ['vip', 'es'],
      [
        { type: 'tag', tag: 'refund', action: 'add' },
        { type: 'tag', tag: 'vip', action: 'remove' },
        { type: 'set-contact-attribute', key: 'tier', value: 'silver' },
        { type: 'send', nodeId: 'n', message: { type: 'text', text: 'hi', buttons: [], quickReplies: false } },
        { type: 'set-contact-attribute', key: 'tier', value: 'gold' },
        { type: 'set-language', language: 'pt' },
        { type: 'tag', tag: 'refund', action: 'add' },
        { type: 'set-language', language: 'es' },
      ],
    );
    expect(changes).toEqual({ tags: ['es', 'refund'], attributes: { tier: 'gold' }, language: 'es' });
  });

  it('changes nothing without tag, attribute or language effects', () => {
    expect(conversationChanges(['a'], [{ type: 'close' }])).toEqual({ tags: ['a'], attributes: null, language: null });
  });
});
