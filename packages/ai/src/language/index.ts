export { SUPPORTED_LANGUAGES, languageCodeSchema, isSupportedLanguage } from './languages.ts';
export type { LanguageCode, SupportedLanguage, WritingSystem } from './languages.ts';
export { identifyLanguage } from './detect.ts';
export type { DetectLanguageOptions, LanguageDetection, LanguageScorer } from './detect.ts';
export { detectLanguage, eldScorer, loadLanguageDetector } from './detector.ts';
export type { LanguageDetector } from './detector.ts';
