import { describe, expect, it } from 'vitest';
import { defaultFeatureOptions } from './features.ts';
import { scoreSparse } from './softmax.ts';
import { trainSvm } from './svm.ts';
import { Vectorizer } from './vectorizer.ts';

const texts = ['red apples', 'green apples', 'ripe pears', 'fast trains', 'slow trains', 'night buses', 'sunny weather', 'rainy weather'];
const classOf = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2]);

function scores(model: ReturnType<typeof trainSvm>, vectorizer: Vectorizer, text: string): number[] {
  const { columns, values } = vectorizer.transform(text);
  const out = new Float64Array(model.classes);
  scoreSparse(model, columns, values, 0, columns.length, out);
  return Array.from(out);
}

describe('trainSvm', () => {
  const { vectorizer, rows } = Vectorizer.fit(texts, defaultFeatureOptions);

  it('puts every training text on its own side of each one-vs-rest boundary', () => {
    const model = trainSvm(rows, classOf, 3, vectorizer.size, { c: 1, passes: 20, seed: 1 });
    texts.forEach((text, i) => {
      const s = scores(model, vectorizer, text);
      s.forEach((score, c) => (c === classOf[i] ? expect(score, `${text} / ${c}`).toBeGreaterThan(0) : expect(score, `${text} / ${c}`).toBeLessThan(0)));
    });
    expect(scores(model, vectorizer, 'apples and pears').indexOf(Math.max(...scores(model, vectorizer, 'apples and pears')))).toBe(0);
  });

  it('keeps weights smaller under a smaller C', () => {
    const norm = (c: number) => trainSvm(rows, classOf, 3, vectorizer.size, { c, passes: 20, seed: 1 }).weights.reduce((s, w) => s + w * w, 0);
    expect(norm(0.01)).toBeLessThan(norm(1));
  });
});
