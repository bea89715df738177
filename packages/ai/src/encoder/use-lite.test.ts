import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PieceTokenizer } from './pieces.ts';
import { UseLiteEncoder } from './use-lite.ts';

const cosine = (a: Float32Array, b: Float32Array): number => {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    aa += (a[i] as number) ** 2;
    bb += (b[i] as number) ** 2;
  }
  return dot / Math.sqrt(aa * bb);
};

describe('PieceTokenizer (SentencePiece unigram)', () => {
  // ids 0-1 reserved (0 = unknown); scores are log-probabilities.
  const pieces: [string, number][] = [
    ['<unk>', 0],
    ['<s>', 0],
    ['▁un', -3],
    ['▁unlock', -6],
    ['lock', -4],
    ['▁my', -2],
    ['▁card', -3],
    ['▁', -5],
    ['c', -6],
    ['a', -6],
    ['r', -6],
    ['d', -6],
  ];
  const tokenizer = new PieceTokenizer(pieces, { reserved: 2, unknownId: 0 });

  it('picks the segmentation whose pieces are likeliest together', () => {
    // "▁unlock" (-6) beats "▁un" + "lock" (-7); "▁card" (-3) beats "▁" + c + a + r + d (-29).
    expect(tokenizer.encode('unlock my card')).toEqual([3, 5, 6]);
  });

  it('reads runs of whitespace as one, and marks a run of unknown characters once', () => {
    expect(tokenizer.encode('  my   card ')).toEqual([5, 6]);
    expect(tokenizer.encode('my 卡片卡 card')).toEqual([5, 7, 0, 6]);
    expect(tokenizer.encode('')).toEqual([]);
  });
});

describe('UseLiteEncoder', async () => {
  const encoder = await UseLiteEncoder.load();

  it('gives the vectors TensorFlow.js gives for the same model', async () => {
    const reference = JSON.parse(readFileSync(new URL('./testdata/use-lite-reference.json', import.meta.url), 'utf8')) as { vectors: { text: string; float32: string }[] };
    expect(reference.vectors.length).toBeGreaterThanOrEqual(8);
    for (const { text, float32 } of reference.vectors) {
      const expected = new Float32Array(new Uint8Array(Buffer.from(float32, 'base64')).buffer);
      const [actual] = await encoder.embed([text]);
      expect(cosine(actual as Float32Array, expected), text).toBeGreaterThan(0.9999);
    }
  });

  it('places paraphrases nearer each other than other requests', async () => {
    const [lost, stolen, delivery] = (await encoder.embed(['I lost my credit card', 'someone stole my wallet with my bank card in it', 'when will my parcel be delivered'])) as [Float32Array, Float32Array, Float32Array];
    expect(cosine(lost, stolen)).toBeGreaterThan(cosine(lost, delivery) + 0.1);
    expect(cosine(lost, lost)).toBeCloseTo(1, 5);
  });

  it('reads English and gives zeros for what it cannot read', async () => {
    expect(encoder.reads('Where is my order?')).toBe(true);
    expect(encoder.reads('¿Dónde está mi pedido? Lo compré la semana pasada')).toBe(false);
    expect(encoder.reads('我的快递到哪了')).toBe(false);
    expect(encoder.reads('🙂 123')).toBe(false);
    const [spanish, english] = (await encoder.embed(['¿Dónde está mi pedido? Lo compré la semana pasada', 'Where is my order?'])) as [Float32Array, Float32Array];
    expect(spanish.every((v) => v === 0)).toBe(true);
    expect(Math.hypot(...english)).toBeCloseTo(1, 4);
  });

  it('embeds a very long message from its first 128 pieces without failing', async () => {
    const long = 'my card was charged twice for the same order and I would like a refund please '.repeat(30);
    const [vector] = (await encoder.embed([long])) as [Float32Array];
    expect(vector).toHaveLength(512);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 4);
  });
});
