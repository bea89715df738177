import { describe, expect, it } from 'vitest';
import { trainClassifier, trainClassifierWithEncoder, type SentenceEncoder, type TrainingExample } from './classifier.ts';
import { seededRandom } from './random.ts';
import { deserializeClassifier, serializeClassifier } from './serialize.ts';

// Two topics told apart by their nouns, in sentences assembled from shared filler so that only the nouns
// carry the label; the held-out sentences combine fillers and nouns in ways training never saw.
const fillers = ['I would like to ask about the', 'tell me more about your', 'is there any news on the', 'what do you think of the', 'please help with my'];
const fruit = ['apples', 'bananas', 'cherries', 'oranges', 'pears', 'plums'];
const vehicles = ['trucks', 'bicycles', 'motorbikes', 'trains', 'buses', 'scooters'];

function toyExamples(seed: number, count: number): TrainingExample[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: count }, (_, i) =>
    i % 2 === 0 ? { text: `${pick(fillers)} ${pick(fruit)}`, label: 'fruit' } : { text: `${pick(fillers)} ${pick(vehicles)}`, label: 'vehicle' },
  );
}

describe('trainClassifier', () => {
  it('learns separable toy data and labels unseen sentences correctly', () => {
    const classifier = trainClassifier(toyExamples(1, 60));
    const unseen = toyExamples(99, 40);
    const correct = unseen.filter((e) => classifier.classify(e.text).label === e.label).length;
    expect(correct).toBe(unseen.length);
  });

  it('gives identical models for the same seed and different ones for another seed', () => {
    const examples = toyExamples(2, 80);
    const a = serializeClassifier(trainClassifier(examples, { seed: 7 }));
    const b = serializeClassifier(trainClassifier(examples, { seed: 7 }));
    const c = serializeClassifier(trainClassifier(examples, { seed: 8 }));
    expect(b.weights).toBe(a.weights);
    expect(c.weights).not.toBe(a.weights);
  });

  it('returns a probability distribution over every label, most confident first', () => {
    const examples = [
      ...toyExamples(3, 40),
      { text: 'the weather is sunny today', label: 'weather' },
      { text: 'will it rain tomorrow', label: 'weather' },
      { text: 'how cold is it outside', label: 'weather' },
    ];
    const classifier = trainClassifier(examples);
    for (const text of ['tell me about pears', 'is it going to rain', '', '🙂🙂', 'zzz']) {
      const result = classifier.classify(text);
      expect(result.ranked.map((r) => r.label).sort()).toEqual(['fruit', 'vehicle', 'weather']);
      const sum = result.ranked.reduce((s, r) => s + r.confidence, 0);
      expect(sum).toBeCloseTo(1, 6);
      for (const r of result.ranked) expect(r.confidence).toBeGreaterThanOrEqual(0);
      for (let i = 1; i < result.ranked.length; i++) expect(result.ranked[i - 1]!.confidence).toBeGreaterThanOrEqual(result.ranked[i]!.confidence);
      expect(result.label).toBe(result.ranked[0]!.label);
      expect(result.confidence).toBe(result.ranked[0]!.confidence);
    }
  });

  it('answers empty and emoji-only text with the label prior instead of failing', () => {
    const classifier = trainClassifier([...toyExamples(4, 30), { text: 'apples and pears', label: 'fruit' }]);
    const empty = classifier.classify('');
    const emoji = classifier.classify('🚀');
    expect(Number.isFinite(empty.confidence)).toBe(true);
    expect(emoji.ranked).toHaveLength(2);
  });

  it('learns an emoji when training phrases use it', () => {
    const classifier = trainClassifier([
      { text: '😡', label: 'angry' },
      { text: 'this is terrible 😡', label: 'angry' },
      { text: '😡😡 never again', label: 'angry' },
      { text: '😊', label: 'happy' },
      { text: 'thank you so much 😊', label: 'happy' },
      { text: 'great service 😊😊', label: 'happy' },
    ]);
    expect(classifier.classify('😡').label).toBe('angry');
    expect(classifier.classify('😊').label).toBe('happy');
  });

  it('classifies Chinese, Japanese and Thai without spaces between words', () => {
    const classifier = trainClassifier([
      { text: '我想退货', label: 'return' },
      { text: '怎么退货退款', label: 'return' },
      { text: '这个可以退吗', label: 'return' },
      { text: '我的快递到哪了', label: 'shipping' },
      { text: '包裹什么时候到', label: 'shipping' },
      { text: '快递还没到', label: 'shipping' },
      { text: '返品したいです', label: 'return' },
      { text: '返品の方法を教えて', label: 'return' },
      { text: '荷物はいつ届きますか', label: 'shipping' },
      { text: '配送状況を知りたい', label: 'shipping' },
      { text: 'ฉันต้องการคืนสินค้า', label: 'return' },
      { text: 'พัสดุของฉันอยู่ที่ไหน', label: 'shipping' },
    ]);
    expect(classifier.classify('衣服我要退货').label).toBe('return');
    expect(classifier.classify('快递什么时候到').label).toBe('shipping');
    expect(classifier.classify('返品をお願いします').label).toBe('return');
    expect(classifier.classify('พัสดุอยู่ที่ไหนคะ').label).toBe('shipping');
  });

  it('makes confidences less extreme at a higher temperature without changing the ranking', () => {
    const examples = toyExamples(7, 60);
    const sharp = trainClassifier(examples, { temperature: 1 });
    const soft = trainClassifier(examples, { temperature: 4 });
    for (const text of ['tell me about the pears', 'any news on the trains', 'bananas']) {
      expect(soft.classify(text).ranked.map((r) => r.label)).toEqual(sharp.classify(text).ranked.map((r) => r.label));
      expect(soft.classify(text).confidence).toBeLessThan(sharp.classify(text).confidence);
    }
  });

  it('adds the SVMs to the softmax model: without them the model differs', () => {
    const examples = toyExamples(8, 60);
    const both = serializeClassifier(trainClassifier(examples));
    const softmaxOnly = serializeClassifier(trainClassifier(examples, { svmWeight: 0 }));
    expect(softmaxOnly.weights).not.toBe(both.weights);
    expect(trainClassifier(examples, { svmWeight: 0 }).classify('any news on the plums').label).toBe('fruit');
  });

  it('refuses to train with fewer than two labels', () => {
    expect(() => trainClassifier([{ text: 'hi', label: 'greet' }])).toThrow(/two labels/);
  });
});

// A stand-in for a sentence encoder: it knows what fruit and vehicle names mean, including names the training
// phrases never use, which n-grams cannot know. Two dimensions (fruit, vehicle), L2-normalized.
const meanings: Record<string, readonly [number, number]> = {
  apples: [1, 0], bananas: [1, 0], cherries: [1, 0], mangoes: [1, 0], kiwis: [1, 0], figs: [1, 0],
  trucks: [0, 1], bicycles: [0, 1], trains: [0, 1], tractors: [0, 1], ferries: [0, 1], vans: [0, 1],
};
const meaningEncoder: SentenceEncoder = {
  id: 'test-meanings@1',
  dimensions: 2,
  embed(texts) {
    return Promise.resolve(
      texts.map((text) => {
        const sum = [0, 0];
        for (const word of text.split(' ')) for (const d of [0, 1]) sum[d]! += meanings[word]?.[d] ?? 0;
        const norm = Math.hypot(sum[0]!, sum[1]!) || 1;
        return Float32Array.from(sum, (v) => v / norm);
      }),
    );
  },
};

describe('a sentence encoder as extra features', () => {
  const seen = toyExamples(11, 60).filter((e) => /apples|bananas|cherries|trucks|bicycles|trains/.test(e.text));
  const unseenNames = ['I would like to ask about the mangoes', 'is there any news on the ferries', 'tell me more about your kiwis', 'please help with my tractors', 'what do you think of the figs', 'tell me more about your vans'];
  const unseenLabels = ['fruit', 'vehicle', 'fruit', 'vehicle', 'fruit', 'vehicle'];

  it('labels names the training phrases never used, which n-grams alone cannot', async () => {
    const withEncoder = await trainClassifierWithEncoder(seen, meaningEncoder);
    const vectors = await meaningEncoder.embed(unseenNames);
    expect(unseenNames.map((text, i) => withEncoder.classify(text, vectors[i]).label)).toEqual(unseenLabels);
    const ngramsOnly = trainClassifier(seen);
    expect(unseenNames.filter((text, i) => ngramsOnly.classify(text).label === unseenLabels[i]).length).toBeLessThan(unseenNames.length);
  });

  it('needs the vector of the encoder it was trained with to classify', async () => {
    const classifier = await trainClassifierWithEncoder(seen, meaningEncoder);
    expect(() => classifier.classify('any news on the figs')).toThrow(/2-dimensional vector from test-meanings@1/);
    expect(() => classifier.classify('any news on the figs', new Float32Array(3))).toThrow(/got 3/);
  });

  it('round-trips through JSON with its encoder named and identical confidences', async () => {
    const classifier = await trainClassifierWithEncoder(seen, meaningEncoder, { encoderWeight: 2 });
    const json = JSON.parse(JSON.stringify(serializeClassifier(classifier))) as unknown;
    expect(json).toMatchObject({ version: 3, dense: { encoder: 'test-meanings@1', dimensions: 2, weight: 2 } });
    const restored = deserializeClassifier(json);
    if (!restored.ok) throw new Error(restored.error);
    const [vector] = await meaningEncoder.embed(['tell me about the kiwis']);
    expect(restored.classifier.classify('tell me about the kiwis', vector)).toEqual(classifier.classify('tell me about the kiwis', vector));
  });
});

describe('classifier serialization', () => {
  it('round-trips through JSON text with bit-identical confidences', () => {
    const classifier = trainClassifier(toyExamples(5, 60));
    const restored = deserializeClassifier(JSON.parse(JSON.stringify(serializeClassifier(classifier))));
    if (!restored.ok) throw new Error(restored.error);
    for (const text of ['tell me about the trains', 'any news on cherries', '', '🚲', 'ümlaut café']) {
      expect(restored.classifier.classify(text)).toEqual(classifier.classify(text));
    }
  });

  it('rejects another format version and arrays of the wrong size with an error naming the problem', () => {
    const json = serializeClassifier(trainClassifier(toyExamples(6, 20)));
    // Version 1 models were a softmax model alone: their confidences do not fit today's threshold.
    const wrongVersion = deserializeClassifier({ ...json, version: 1 });
    expect(wrongVersion.ok).toBe(false);
    if (!wrongVersion.ok) expect(wrongVersion.error).toMatch(/version/);
    // Version 2 (before sentence encoders) had no dense block and loads as one without.
    const { dense: _none, ...withoutDense } = json;
    const version2 = deserializeClassifier({ ...withoutDense, version: 2 });
    expect(version2.ok && version2.classifier.classify('any news on the trains').label).toBe('vehicle');
    const denseWithoutWeights = deserializeClassifier({ ...json, dense: { encoder: 'x', dimensions: 4, weight: 1 } });
    expect(denseWithoutWeights.ok).toBe(false);
    if (!denseWithoutWeights.ok) expect(denseWithoutWeights.error).toMatch(/weights/);
    const truncated = deserializeClassifier({ ...json, weights: Buffer.from(new Float32Array(3).buffer).toString('base64') });
    expect(truncated.ok).toBe(false);
    if (!truncated.ok) expect(truncated.error).toMatch(/weights/);
  });
});
