export { trainClassifier, trainClassifierWithEncoder, TextClassifier, type Classification, type DenseBlock, type SentenceEncoder, type ClassifierOptions, type RankedLabel, type TrainingExample } from './classifier.ts';
export { defaultFeatureOptions, featureOptionsSchema, type FeatureOptions } from './features.ts';
export {
  CLASSIFIER_FORMAT,
  CLASSIFIER_VERSION,
  deserializeClassifier,
  serializeClassifier,
  serializedClassifierSchema,
  type DeserializeResult,
  type SerializedClassifier,
} from './serialize.ts';
