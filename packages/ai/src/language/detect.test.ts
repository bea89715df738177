import { beforeAll, describe, expect, it } from 'vitest';
import { identifyLanguage } from './detect.ts';
import type { LanguageScorer } from './detect.ts';
import { loadLanguageDetector } from './detector.ts';
import type { LanguageDetector } from './detector.ts';

const fixedScores =
  (scores: Record<string, number>): LanguageScorer =>
  () =>
    new Map(Object.entries(scores));

describe('identifyLanguage with a given scorer', () => {
  it('lets letters a language never writes overturn a lead in n-gram score', () => {
    const preferRussian = fixedScores({ ru: 10, uk: 1, bg: 1 });
    expect(identifyLanguage('моє', preferRussian).language).toBe('uk');
    expect(identifyLanguage('мое', preferRussian).language).toBe('ru');
  });

  it('splits Indonesian from Malay by the words only one of them uses', () => {
    const malayIndonesian = fixedScores({ ms: 5, id: 5, en: 1 });
    expect(identifyLanguage('kerana wang', malayIndonesian).language).toBe('ms');
    expect(identifyLanguage('karena uang', malayIndonesian).language).toBe('id');
  });

  it('calls a text both write alike a tie, which a preference settles', () => {
    const malayIndonesian = fixedScores({ ms: 5, id: 5 });
    const tie = identifyLanguage('terima kasih', malayIndonesian);
    expect(tie.confidence).toBeCloseTo(0.5);
    expect(tie.alternatives[0]?.confidence).toBeCloseTo(0.5);
    expect(identifyLanguage('terima kasih', malayIndonesian, { prefer: ['ms'] }).language).toBe('ms');
    expect(identifyLanguage('terima kasih', malayIndonesian, { prefer: ['id'] }).language).toBe('id');
  });

  it('does not let a preference outweigh a clear answer', () => {
    const clearlyEnglish = fixedScores({ en: 40, de: 5 });
    expect(identifyLanguage('where is my order', clearlyEnglish, { prefer: ['de'] }).language).toBe('en');
  });

  it('answers null when no allowed language scores anything', () => {
    expect(identifyLanguage('qwxz', fixedScores({})).language).toBeNull();
  });

  it('shares confidence out over the answer and its alternatives, best first', () => {
    const result = identifyLanguage('hello', fixedScores({ en: 10, nl: 8, de: 6, sv: 4, da: 2 }));
    expect(result.language).toBe('en');
    const confidences = [result.confidence, ...result.alternatives.map((a) => a.confidence)];
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    expect(result.alternatives.map((a) => a.language)).toEqual(['nl', 'de', 'sv']);
    expect(confidences.reduce((sum, c) => sum + c, 0)).toBeLessThanOrEqual(1);
  });
});

describe('the shipped detector', () => {
  let detector: LanguageDetector;
  beforeAll(async () => {
    detector = await loadLanguageDetector();
  });
  const languageOf = (text: string, candidates?: readonly string[]) =>
    detector.detect(text, candidates ? { candidates } : {}).language;

  it('answers null for text with no letters', () => {
    for (const text of ['', '   ', '😀', '👍🎉❤️', '12345 678', '!!! ???', 'https://shop.example/orders/123', '@ana #promo']) {
      expect(detector.detect(text)).toEqual({ language: null, confidence: 0, alternatives: [] });
    }
  });

  it('names the language from the script alone where one language writes it', () => {
    const cases: [string, string][] = [
      ['안녕하세요, 주문 확인 부탁드립니다', 'ko'],
      ['注文した商品がまだ届いていません', 'ja'],
      ['谢谢', 'zh'],
      ['我的订单在哪里', 'zh'],
      ['สวัสดีครับ สินค้ายังไม่มาถึง', 'th'],
      ['שלום, איפה ההזמנה שלי', 'he'],
      ['Γεια σας, πού είναι η παραγγελία μου;', 'el'],
      ['मेरा ऑर्डर कहाँ है', 'hi'],
    ];
    for (const [text, language] of cases) expect(detector.detect(text)).toMatchObject({ language, confidence: 1 });
  });

  it('tells Ukrainian from Russian', () => {
    expect(languageOf('Де моє замовлення? Я чекаю вже тиждень')).toBe('uk');
    expect(languageOf('Где мой заказ? Это уже неделя')).toBe('ru');
  });

  it('tells Indonesian from Malay in messages that use the words of one of them', () => {
    expect(languageOf('Kapan pesanan saya dikirim? Saya sudah bayar pakai kartu kredit')).toBe('id');
    expect(languageOf('Barangnya rusak, saya mau uang saya kembali karena ukurannya salah')).toBe('id');
    expect(languageOf('Bila pesanan saya akan dihantar? Saya sudah membuat bayaran dengan kad kredit')).toBe('ms');
    expect(languageOf('Barang itu rosak, saya mahu wang saya dikembalikan kerana saiznya salah')).toBe('ms');
  });

  it('reads short chat messages', () => {
    expect(languageOf('hola')).toBe('es');
    expect(languageOf('where is my order')).toBe('en');
    expect(languageOf('wo ist meine Bestellung')).toBe('de');
    expect(languageOf('merci beaucoup')).toBe('fr');
    expect(languageOf('obrigado pela ajuda')).toBe('pt');
    expect(languageOf('أين طلبي')).toBe('ar');
  });

  it('answers only among the allowed languages', () => {
    const restricted = languageOf('hola, ¿dónde está mi pedido?', ['en', 'pt']);
    expect(['en', 'pt']).toContain(restricted);
    expect(languageOf('谢谢', ['ja', 'en'])).toBe('ja');
    expect(languageOf('안녕하세요', ['en', 'zh'])).toBeNull();
    expect(languageOf('where is my order', ['xx'])).toBeNull();
    expect(languageOf('where is my order', [])).toBe('en');
  });
});
