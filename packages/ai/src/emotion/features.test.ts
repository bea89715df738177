import { describe, expect, it } from 'vitest';
import { columnOf, countFeatures, featureHashes, isWordFeature, weighFeatures } from './features.ts';

function checksum(hashes: readonly number[]): number {
  let h = 0;
  for (const x of hashes) h = (Math.imul(h, 31) + x) >>> 0;
  return h;
}

describe('emotion features', () => {
  it('hash the same as when the shipped model was built (a change needs a new model version and a rebuild)', () => {
    const hashes = featureHashes('Wow, I did NOT expect that 😂!');
    expect(hashes).toHaveLength(95);
    expect(checksum(hashes)).toBe(GOLDEN_CHECKSUM);
  });

  it('ignore case, width variants and emoji presentation selectors', () => {
    expect(featureHashes('I LOVE it ❤️')).toEqual(featureHashes('i love it ❤'));
    expect(featureHashes('ｈａｐｐｙ')).toEqual(featureHashes('happy'));
  });

  it('count punctuation and emoji as words', () => {
    const words = (text: string) => featureHashes(text).filter(isWordFeature);
    // "wow" alone is one word; "wow !" adds a word and a word pair.
    expect(words('wow !')).toHaveLength(words('wow').length + 2);
    expect(words('😡')).toHaveLength(1);
  });

  it('give nothing for text without letters, digits, symbols or emoji', () => {
    expect(featureHashes('')).toEqual([]);
    expect(featureHashes(' \t ')).toEqual([]);
  });

  it('count repeated n-grams once each, with their number of repeats', () => {
    const { keys, counts } = countFeatures('no no no');
    const no = featureHashes('no').filter(isWordFeature)[0] as number;
    expect(counts[columnOf(keys, no)]).toBe(3);
    expect([...keys]).toEqual([...keys].sort((a, b) => a - b));
  });

  it('weigh the word block and the character block equally, each normalized, and drop unknown features', () => {
    const counted = countFeatures('so happy today');
    const hashes = Uint32Array.from(featureHashes('so happy')).sort();
    const unique = hashes.filter((h, i) => i === 0 || h !== hashes[i - 1]);
    const { columns, values } = weighFeatures(counted, unique, new Float32Array(unique.length).fill(1));
    expect(columns.length).toBeGreaterThan(0);
    for (const c of columns) expect(c).toBeGreaterThanOrEqual(0);
    let words = 0;
    let chars = 0;
    columns.forEach((c, i) => {
      const v = (values[i] as number) ** 2;
      if (isWordFeature(unique[c] as number)) words += v;
      else chars += v;
    });
    expect(words).toBeCloseTo(0.5, 5);
    expect(chars).toBeCloseTo(0.5, 5);
  });

  it('find a column by binary search and report a missing hash as -1', () => {
    const hashes = Uint32Array.from([3, 9, 27, 4_000_000_000]);
    expect(columnOf(hashes, 27)).toBe(2);
    expect(columnOf(hashes, 4_000_000_000)).toBe(3);
    expect(columnOf(hashes, 10)).toBe(-1);
    expect(columnOf(new Uint32Array(0), 1)).toBe(-1);
  });
});

// Recorded when the shipped model was built; 95 = 9 words + 8 word pairs + 78 character n-grams.
const GOLDEN_CHECKSUM = 1769489721;
