import type { EmotionModel } from './model.ts';

/** `signalbox emotion`: the label of one input line (an empty line reads as neutral). */
export function emotionOfLine(model: EmotionModel, line: string): string {
  return model.detect(line).emotion;
}
