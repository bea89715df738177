import { describe, expect, it } from 'vitest';
import { detectPii } from './detect.ts';

const urls = (text: string): string[] => detectPii(text, { types: ['url'] }).map((span) => span.text);

describe('URL detection', () => {
  it('finds links with a scheme or www, without trailing sentence punctuation', () => {
    expect(urls('My website is http://www.ScrapbookInsider.com.pt/.')).toEqual(['http://www.ScrapbookInsider.com.pt/']);
    expect(urls('(see www.example.com/a?b=1), and https://en.wikipedia.org/wiki/Foo_(bar)!')).toEqual([
      'www.example.com/a?b=1',
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    ]);
  });

  it('is not looked for unless asked, since most links in shop chats are product pages', () => {
    expect(detectPii('see https://shop.example.com/p/1').map((span) => span.type)).toEqual([]);
  });

  it('rejects a scheme without a host', () => {
    expect(urls('type http://localhost or https://')).toEqual([]);
  });
});
