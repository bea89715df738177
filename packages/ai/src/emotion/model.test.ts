import { EMOTIONS } from '@signalbox/nodes';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEmotionModel } from './load.ts';
import { EMOTION_MODEL_VERSION, parseEmotionModel, serializeEmotionModel, type EmotionModel } from './model.ts';

let model: EmotionModel;
beforeAll(async () => {
  model = await loadEmotionModel();
});

describe('the shipped emotion model', () => {
  // A handful of plain sentences; the real judgement is the eval on the GoEmotions dev split.
  it.each([
    ['I am so scared of what will happen tomorrow.', 'fear'],
    ['Thank you so much, this is wonderful!', 'joy'],
    ["I'm so sad, my dog died last night.", 'sadness'],
    ['Wow, I did not expect that at all!', 'surprise'],
    ['That is disgusting, gross.', 'disgust'],
    ['You idiots lost my package again!', 'anger'],
    ['The package was shipped on Monday.', 'neutral'],
  ] as const)('reads %j as %s', (text, emotion) => {
    expect(model.detect(text).emotion).toBe(emotion);
  });

  it('is read once and shared', async () => {
    expect(await loadEmotionModel()).toBe(model);
  });

  it('gives the same answer to the same text every time', () => {
    const text = 'Where is my order?? I have been waiting for weeks';
    expect(model.detect(text)).toEqual(model.detect(text));
  });

  it('scores every emotion with probabilities that sum to 1, the answer being the likeliest', () => {
    for (const text of ['ugh, not again', 'lol that is hilarious 😂', 'Can you check the tracking number for me?']) {
      const { emotion, confidence, scores } = model.detect(text);
      expect(Object.keys(scores).sort()).toEqual([...EMOTIONS].sort());
      const values = Object.values(scores);
      for (const p of values) expect(p).toBeGreaterThanOrEqual(0);
      expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(confidence).toBe(scores[emotion]);
      expect(confidence).toBe(Math.max(...values));
    }
  });

  it('reads text with nothing it knows (empty, blank, a script it never saw) as neutral', () => {
    for (const text of ['', '   ', 'ตกลง']) {
      const { emotion, confidence, scores } = model.detect(text);
      expect(emotion).toBe('neutral');
      expect(confidence).toBe(1);
      expect(scores.anger).toBe(0);
    }
  });

  it('comes back from its file format unchanged', () => {
    const file = serializeEmotionModel(model, { note: 'round trip' });
    const parsed = parseEmotionModel(JSON.parse(JSON.stringify(file)));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(serializeEmotionModel(parsed.model, { note: 'round trip' })).toEqual(file);
    for (const text of ['so happy for you', 'this is awful', 'what?!']) expect(parsed.model.detect(text)).toEqual(model.detect(text));
  });

  it('refuses a file of another version, with labels in another order, or cut short', () => {
    const file = serializeEmotionModel(model, {});
    const refused = (data: unknown) => {
      const parsed = parseEmotionModel(data);
      return parsed.ok ? 'accepted' : parsed.error;
    };
    expect(refused({ ...file, version: EMOTION_MODEL_VERSION + 1 })).toMatch(/version/);
    expect(refused({ ...file, labels: [...file.labels].reverse() })).toMatch(/labels must be/);
    expect(refused({ ...file, weights: file.weights.slice(0, 400) })).toMatch(/weights hold/);
    expect(refused({ ...file, hashes: file.hashes.slice(0, 400) })).toMatch(/hashes end/);
  });
});
