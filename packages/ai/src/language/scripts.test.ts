import { describe, expect, it } from 'vitest';
import { countScripts, dominantScript } from './scripts.ts';

const scriptOfText = (text: string) => dominantScript(countScripts(text));

describe('dominantScript', () => {
  it('finds no script in text without letters', () => {
    for (const text of ['', '   ', '😀👍🎉', '12345', '!!! ??? ...', '❤️ 100%']) expect(scriptOfText(text)).toBeNull();
  });

  it('names the script of each writing system', () => {
    expect(scriptOfText('where is my order')).toBe('Latin');
    expect(scriptOfText('где мой заказ')).toBe('Cyrillic');
    expect(scriptOfText('أين طلبي')).toBe('Arabic');
    expect(scriptOfText('주문 확인')).toBe('Hangul');
    expect(scriptOfText('สวัสดี')).toBe('Thai');
    expect(scriptOfText('שלום')).toBe('Hebrew');
    expect(scriptOfText('παραγγελία')).toBe('Greek');
    expect(scriptOfText('नमस्ते')).toBe('Devanagari');
    expect(scriptOfText('谢谢')).toBe('Han');
  });

  it('reads Han characters mixed with kana as Japanese and with Hangul as Korean', () => {
    expect(scriptOfText('注文はまだです')).toBe('Kana');
    expect(scriptOfText('東京タワー')).toBe('Kana');
    expect(scriptOfText('大韓民国 만세')).toBe('Hangul');
  });

  it('lets a few Chinese characters outweigh more Latin letters', () => {
    expect(scriptOfText('my order 订单号')).toBe('Han');
    expect(scriptOfText('please check my order number 订单')).toBe('Latin');
  });
});
