import { EMOTIONS, type Emotion } from '@signalbox/nodes';

export interface ClassScore {
  precision: number;
  recall: number;
  f1: number;
  /** Items with this emotion among their gold labels. */
  support: number;
}

export interface EmotionScores {
  /**
   * Mean F1 over the 7 emotions, where a prediction is right when it is one of the item's gold labels; a
   * wrong prediction on an item with several labels counts as a miss of its first listed label.
   */
  macroF1: number;
  /**
   * Mean F1 when every gold label must be found: an item labelled joy and surprise that gets joy is a hit
   * for joy and a miss for surprise (how multi-label scores treat a one-label answer).
   */
  macroF1Strict: number;
  perClass: Record<Emotion, ClassScore>;
  /** Share of items whose prediction is one of their gold labels. */
  accuracy: number;
  /** `confusion[gold][predicted]` counts, gold resolved as for `macroF1`. */
  confusion: Record<Emotion, Record<Emotion, number>>;
}

const CLASSES = EMOTIONS.length;

function f1Of(tp: number, fp: number, fn: number): { precision: number; recall: number; f1: number } {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** Lenient macro-F1 alone (the quantity the prior offsets are tuned for); labels are indexes into EMOTIONS. */
export function lenientMacroF1(golds: readonly (readonly number[])[], predictions: ArrayLike<number>): number {
  const tp = new Float64Array(CLASSES);
  const fp = new Float64Array(CLASSES);
  const fn = new Float64Array(CLASSES);
  for (let i = 0; i < golds.length; i++) {
    const gold = golds[i] as readonly number[];
    const predicted = predictions[i] as number;
    if (gold.includes(predicted)) tp[predicted] = (tp[predicted] as number) + 1;
    else {
      fp[predicted] = (fp[predicted] as number) + 1;
      const first = gold[0] as number;
      fn[first] = (fn[first] as number) + 1;
    }
  }
  let sum = 0;
  for (let c = 0; c < CLASSES; c++) sum += f1Of(tp[c] as number, fp[c] as number, fn[c] as number).f1;
  return sum / CLASSES;
}

/** Scores single-label predictions against gold label sets; labels are indexes into EMOTIONS. */
export function scoreEmotions(golds: readonly (readonly number[])[], predictions: ArrayLike<number>): EmotionScores {
  if (golds.length !== predictions.length) throw new Error(`${golds.length} gold items but ${predictions.length} predictions`);
  const tp = new Float64Array(CLASSES);
  const fp = new Float64Array(CLASSES);
  const fn = new Float64Array(CLASSES);
  const strictFn = new Float64Array(CLASSES);
  const support = new Float64Array(CLASSES);
  const confusion = Array.from({ length: CLASSES }, () => new Float64Array(CLASSES));
  let right = 0;
  for (let i = 0; i < golds.length; i++) {
    const gold = golds[i] as readonly number[];
    const predicted = predictions[i] as number;
    for (const g of gold) {
      support[g] = (support[g] as number) + 1;
      if (g !== predicted) strictFn[g] = (strictFn[g] as number) + 1;
    }
    const hit = gold.includes(predicted);
    const resolved = hit ? predicted : (gold[0] as number);
    const row = confusion[resolved] as Float64Array;
    row[predicted] = (row[predicted] as number) + 1;
    if (hit) {
      right++;
      tp[predicted] = (tp[predicted] as number) + 1;
    } else {
      fp[predicted] = (fp[predicted] as number) + 1;
      fn[resolved] = (fn[resolved] as number) + 1;
    }
  }
  let lenient = 0;
  let strict = 0;
  const perClass = {} as Record<Emotion, ClassScore>;
  const confusionByName = {} as Record<Emotion, Record<Emotion, number>>;
  EMOTIONS.forEach((emotion, c) => {
    const score = f1Of(tp[c] as number, fp[c] as number, fn[c] as number);
    lenient += score.f1;
    strict += f1Of(tp[c] as number, fp[c] as number, strictFn[c] as number).f1;
    perClass[emotion] = { ...score, support: support[c] as number };
    confusionByName[emotion] = Object.fromEntries(EMOTIONS.map((other, p) => [other, (confusion[c] as Float64Array)[p] as number])) as Record<Emotion, number>;
  });
  return {
    macroF1: lenient / CLASSES,
    macroF1Strict: strict / CLASSES,
    perClass,
    accuracy: golds.length > 0 ? right / golds.length : 0,
    confusion: confusionByName,
  };
}
