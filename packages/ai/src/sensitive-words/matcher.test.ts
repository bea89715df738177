import { describe, expect, it } from 'vitest';
import { censor, compileWordList, findSensitiveWords } from './matcher.ts';

const ENGLISH = ['ass', 'shit', 'fuck', 'idiot*', '*phobic', 'bad word', 'bad'];
const found = (words: readonly string[], text: string, obfuscations = true): string[] =>
  findSensitiveWords(compileWordList(words, { obfuscations }), text).map((span) => `${span.text}=${span.entry}`);

describe('sensitive words in English', () => {
  it('matches whole words in any case and not inside other words', () => {
    expect(found(ENGLISH, 'What an ASS. Pass the class assessment, Shit happens')).toEqual(['ASS=ass', 'Shit=shit']);
  });

  it('lets an entry marked with * run into a longer word, covering the whole word', () => {
    expect(found(ENGLISH, 'you idiots, so homophobic')).toEqual(['idiots=idiot*', 'homophobic=*phobic']);
  });

  it('prefers the longest entry starting at the same place', () => {
    expect(found(ENGLISH, 'a bad word and a bad day')).toEqual(['bad word=bad word', 'bad=bad']);
    expect(found(ENGLISH, 'a bad   word')).toEqual(['bad   word=bad word']);
  });

  it('sees through l33t, stretched letters, accents, fullwidth and spaced-out letters', () => {
    expect(found(ENGLISH, 'sh1t, a$$, fuuuuuck, FÜCK, Ｆｕｃｋ, f.u.c.k, s h 1 t')).toEqual([
      'sh1t=shit',
      'a$$=ass',
      'fuuuuuck=fuck',
      'FÜCK=fuck',
      'Ｆｕｃｋ=fuck',
      'f.u.c.k=fuck',
      's h 1 t=shit',
    ]);
  });

  it('does not invent matches from those folds', () => {
    // "as" is shorter than "ass"; "f u c king" is no spaced-out word; "$100" is a price.
    expect(found(ENGLISH, 'as good as it gets, f u c king, $100 in 2024, shitake')).toEqual([]);
    expect(found(ENGLISH, 'shit! really')).toEqual(['shit=shit']);
  });

  it('matches only the literal spelling when obfuscations are off', () => {
    expect(found(ENGLISH, 'sh1t fuuuck SHIT', false)).toEqual(['SHIT=shit']);
  });
});

describe('sensitive words in Chinese and Japanese', () => {
  const CJK = ['傻逼', '法轮功', 'バカ'];

  it('matches inside text without spaces', () => {
    expect(found(CJK, '你是傻逼吗？お前はバカだ')).toEqual(['傻逼=傻逼', 'バカ=バカ']);
  });

  it('sees through spaces and symbols put between the characters', () => {
    expect(found(CJK, '你是傻 逼吗，法*轮*功，法-轮-功')).toEqual(['傻 逼=傻逼', '法*轮*功=法轮功', '法-轮-功=法轮功']);
  });

  it('finds English entries right next to Chinese characters', () => {
    expect(found(['sb'], '你真是sb啊, but not sbx')).toEqual(['sb=sb']);
  });
});

describe('word lists', () => {
  it('ignores empty entries and finds nothing with an empty list', () => {
    expect(found(['', '  ', '*'], 'anything at all')).toEqual([]);
    expect(compileWordList([]).size).toBe(0);
  });

  it('finds exactly the listed words among thousands of entries', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `zq${i.toString(36)}x`);
    const text = `plain words, then ${words[42] ?? ''} and ${words[4999] ?? ''}, not zq${(42).toString(36)}xy`;
    expect(found(words, text)).toEqual([`${words[42] ?? ''}=${words[42] ?? ''}`, `${words[4999] ?? ''}=${words[4999] ?? ''}`]);
  });

  it('reports UTF-16 offsets into the original text', () => {
    const text = '👍🏽 Ünïcode ＦＵＣＫ 傻逼!';
    const spans = findSensitiveWords(compileWordList(['fuck', '傻逼']), text);
    expect(spans.map((span) => text.slice(span.start, span.end))).toEqual(['ＦＵＣＫ', '傻逼']);
  });
});

describe('censor', () => {
  const matcher = compileWordList(['shit', 'fuck', '傻逼']);

  it('covers letters of each match and leaves the rest of the text exactly as it was', () => {
    expect(censor(matcher, '  Oh sh1t!\tf.u.c.k 👋🏽 你是傻逼吗\r\n')).toBe('  Oh ****!\t*.*.*.* 👋🏽 你是**吗\r\n');
  });

  it('uses a replacement or mask character when given', () => {
    expect(censor(matcher, 'oh shit', { replacement: '[censored]' })).toBe('oh [censored]');
    expect(censor(matcher, 'oh shit', { maskChar: '#' })).toBe('oh ####');
    expect(censor(matcher, 'all clean')).toBe('all clean');
  });
});
