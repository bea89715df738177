import { EMOTIONS, type Emotion } from '@signalbox/nodes';
import { describe, expect, it } from 'vitest';
import { lenientMacroF1, scoreEmotions } from './scoring.ts';

const ids = (...emotions: Emotion[]) => emotions.map((e) => EMOTIONS.indexOf(e));

describe('emotion scores', () => {
  // joy right; joy read as anger; anger right; joy+surprise read as surprise; neutral right.
  const golds = [ids('joy'), ids('joy'), ids('anger'), ids('joy', 'surprise'), ids('neutral')];
  const predictions = ids('joy', 'anger', 'anger', 'surprise', 'neutral');

  it('count a prediction that is any one of the gold labels as right', () => {
    const scores = scoreEmotions(golds, predictions);
    expect(scores.accuracy).toBeCloseTo(4 / 5);
    expect(scores.perClass.joy).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 3 });
    expect(scores.perClass.surprise.f1).toBe(1);
    expect(scores.perClass.anger).toMatchObject({ precision: 0.5, recall: 1 });
    // Emotions never seen nor predicted score 0, and still count in the mean over all 7.
    expect(scores.macroF1).toBeCloseTo((2 / 3 + 2 / 3 + 1 + 1) / 7);
    expect(lenientMacroF1(golds, predictions)).toBeCloseTo(scores.macroF1);
  });

  it('count every gold label a single answer leaves out as a miss under the strict rule', () => {
    const scores = scoreEmotions(golds, predictions);
    // joy: found once, missed twice (the anger answer, and the joy+surprise item answered surprise).
    expect(scores.macroF1Strict).toBeCloseTo((2 / 3 + 0.5 + 1 + 1) / 7);
    expect(scores.macroF1Strict).toBeLessThan(scores.macroF1);
  });

  it('put a wrong answer on a multi-label item in the row of its first listed label', () => {
    const scores = scoreEmotions([ids('sadness', 'surprise')], ids('anger'));
    expect(scores.confusion.sadness.anger).toBe(1);
    expect(scores.confusion.surprise.anger).toBe(0);
    expect(scores.perClass.surprise.support).toBe(1);
  });

  it('refuse predictions that do not line up with the gold items', () => {
    expect(() => scoreEmotions(golds, predictions.slice(1))).toThrow(/5 gold items but 4 predictions/);
  });
});
