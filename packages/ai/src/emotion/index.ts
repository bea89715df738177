export { EmotionModel, EMOTION_MODEL_FORMAT, EMOTION_MODEL_VERSION, parseEmotionModel, serializeEmotionModel, emotionModelFileSchema } from './model.ts';
export type { EmotionDetection, EmotionModelFile, EmotionModelParts, ParsedEmotionModel } from './model.ts';
export { loadEmotionModel, readEmotionModel, SHIPPED_EMOTION_MODEL } from './load.ts';
export { emotionOfLine } from './line.ts';
export { scoreEmotions, type ClassScore, type EmotionScores } from './scoring.ts';
export { defaultEmotionTraining, trainEmotionModel, type EmotionExample, type EmotionTrainingOptions, type EmotionTrainingReport } from './train.ts';
