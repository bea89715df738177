import { EMOTIONS, type Emotion } from '@signalbox/nodes';
import { describe, expect, it } from 'vitest';
import { serializeEmotionModel } from './model.ts';
import { trainEmotionModel, tuneOffsets, type EmotionExample, type EmotionTrainingOptions } from './train.ts';

// Each emotion has its own words; sentences mix them with shared filler, and a few carry two emotions.
const cue: Record<Emotion, readonly string[]> = {
  anger: ['furious', 'outraged', 'livid'],
  disgust: ['gross', 'revolting', 'nasty'],
  fear: ['scared', 'terrified', 'afraid'],
  joy: ['delighted', 'thrilled', 'glad'],
  neutral: ['parcel', 'tuesday', 'address'],
  sadness: ['heartbroken', 'crying', 'miserable'],
  surprise: ['unexpected', 'astonished', 'shocked'],
};
const filler = ['the', 'really', 'about', 'this', 'today', 'my', 'order'];

function examples(count: number): EmotionExample[] {
  return Array.from({ length: count }, (_, i) => {
    const emotion = EMOTIONS[i % EMOTIONS.length] as Emotion;
    const words = cue[emotion];
    // Filler words cycle independently of the emotion, so none of them tells one.
    const round = Math.floor(i / EMOTIONS.length);
    const text = `${filler[round % filler.length]} ${words[round % words.length]} ${filler[(round * 3 + 1) % filler.length]}`;
    const second = i % 11 === 0 ? (EMOTIONS[(i + 1) % EMOTIONS.length] as Emotion) : null;
    return { text: second ? `${text} ${cue[second][0]}` : text, emotions: second ? [emotion, second] : [emotion] };
  });
}

const quick: EmotionTrainingOptions = { epochs: 3, learningRate: 0.5, l2: 1e-5, seed: 7, maxFeatures: 400, folds: 3 };

describe('training the emotion model', () => {
  it('learns emotions carried by distinct words, including words it saw only inside longer ones', () => {
    const { model } = trainEmotionModel(examples(210), quick);
    for (const emotion of EMOTIONS) expect(model.detect(`my ${cue[emotion][1]} order`).emotion).toBe(emotion);
    // Character n-grams carry "terrified" to "terrifying".
    expect(model.detect('terrifying').emotion).toBe('fear');
  });

  it('builds the same file from the same data and seed, and another with another seed', () => {
    const data = examples(140);
    const file = (options: EmotionTrainingOptions) => JSON.stringify(serializeEmotionModel(trainEmotionModel(data, options).model, {}));
    expect(file(quick)).toBe(file(quick));
    expect(file({ ...quick, seed: 8 })).not.toBe(file(quick));
  });

  it('keeps at most the requested number of features, as signed bytes', () => {
    const { model, report } = trainEmotionModel(examples(140), { ...quick, maxFeatures: 50 });
    expect(report.vocabulary).toBeGreaterThan(50);
    expect(model.features).toBe(50);
    expect(model.parts.weights).toBeInstanceOf(Int8Array);
    // The kept features are the telling ones: the cue words still decide.
    expect(model.detect('thrilled').emotion).toBe('joy');
  });
});

describe('prior offsets', () => {
  it('raise an emotion the scores consistently undervalue until it is predicted where it belongs', () => {
    const fear = EMOTIONS.indexOf('fear');
    const golds: number[][] = [];
    const scores: Float64Array[] = [];
    for (let i = 0; i < 70; i++) {
      const gold = i % EMOTIONS.length;
      const s = new Float64Array(EMOTIONS.length);
      s[gold] = 1;
      // Fear items score fear 0.6 below the next-best emotion.
      if (gold === fear) s[(fear + 1) % EMOTIONS.length] = 1.6;
      golds.push([gold]);
      scores.push(s);
    }
    const offsets = tuneOffsets(scores, golds);
    expect(offsets[fear]).toBeGreaterThan(0);
    const predicted = scores.map((s) => {
      let best = 0;
      for (let c = 1; c < s.length; c++) if ((s[c] as number) + (offsets[c] as number) > (s[best] as number) + (offsets[best] as number)) best = c;
      return best;
    });
    expect(predicted).toEqual(golds.map((g) => g[0]));
  });
});
