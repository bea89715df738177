export { intentSchema, intentSetSchema, type Intent, type IntentSet } from './schema.ts';
export {
  classifyIntent,
  DEFAULT_INTENT_THRESHOLD,
  defaultIntentThreshold,
  deserializeIntentModel,
  ENCODER_INTENT_THRESHOLD,
  serializeIntentModel,
  trainAsWorkspace,
  trainIntentExamples,
  trainIntents,
  type IntentMatch,
  type IntentTrainingOptions,
  type IntentModel,
} from './model.ts';
export { intentsFromPhrases, parseIntentCsv, type CsvProblem, type IntentCsvResult, type LabelledPhrase } from './csv.ts';
export {
  defaultIntentLanguages,
  defaultIntentNames,
  defaultIntentPhrases,
  defaultIntents,
  defaultIntentTitles,
  type DefaultIntentLanguage,
  type DefaultIntentName,
} from './default-intents.ts';
export { evaluateIntentCsv, score as scoreIntents, type ConfusedPair, type IntentCsvEvaluation, type Scores as IntentScores } from './evaluate.ts';
