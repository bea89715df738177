import { describe, expect, it } from 'vitest';
import { defaultFeatureOptions, featureHashes, foldAccents, normalizeText } from './features.ts';

const shared = (a: string, b: string): number => {
  const fa = new Set(featureHashes(a, defaultFeatureOptions));
  return new Set(featureHashes(b, defaultFeatureOptions).filter((h) => fa.has(h))).size;
};
const features = (text: string): Set<number> => new Set(featureHashes(text, defaultFeatureOptions));

describe('text features', () => {
  it('ignores case and full-width forms', () => {
    expect(features('ＯＲＤＥＲ Status')).toEqual(features('order status'));
  });

  it('lets "2 weeks" and "3 weeks" share every feature', () => {
    expect(features('after 2 weeks')).toEqual(features('after 3 weeks'));
    expect(normalizeText('order 48213', true)).toBe('order 00000');
  });

  it('gives an unaccented spelling the features of the accented one', () => {
    const accented = features('reembolsó café');
    for (const h of features('reembolso cafe')) expect(accented.has(h)).toBe(true);
    expect(foldAccents('größe')).toBe('grosse');
  });

  it('folds Arabic hamza and vowel marks that chat writers drop', () => {
    expect(foldAccents('أريد إرجاع')).toBe('اريد ارجاع');
    expect(foldAccents('مُنْتَج')).toBe('منتج');
    for (const h of features('اريد ارجاع')) expect(features('أريد إرجاع').has(h)).toBe(true);
  });

  it('keeps Japanese voiced kana distinct', () => {
    expect(foldAccents('が')).toBe('が');
  });

  it('finds words inside unspaced Chinese and Thai text', () => {
    expect(shared('我想退货', '退货')).toBeGreaterThan(0);
    expect(shared('ฉันต้องการคืนสินค้า', 'คืนสินค้า')).toBeGreaterThan(0);
    expect(shared('我想退货', '快递')).toBe(0);
  });

  it('produces no features for text without letters, digits, emoji or punctuation', () => {
    expect(featureHashes('', defaultFeatureOptions)).toEqual([]);
    expect(featureHashes('   \n\t ', defaultFeatureOptions)).toEqual([]);
    expect(featureHashes('🙂', defaultFeatureOptions).length).toBeGreaterThan(0);
  });
});
