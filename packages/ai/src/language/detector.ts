import { identifyLanguage } from './detect.ts';
import type { DetectLanguageOptions, LanguageDetection, LanguageScorer } from './detect.ts';

export interface LanguageDetector {
  /** Synchronous and fast (well under a millisecond for a chat message) once loaded. */
  detect(text: string, options?: DetectLanguageOptions): LanguageDetection;
}

interface EldResult {
  getScores(): Record<string, number>;
}
interface Eld {
  detect(text: string): EldResult;
}

/**
 * eld's scores are n/(n + c) of the matched n-grams' weight n, bounded so they crowd near 1; their odds give
 * back n/c, which ranks and compares the way the weights do. eld has no Indonesian model: its Malay model
 * stands for both, and `identifyLanguage` splits them.
 */
export function eldScorer(eld: Eld): LanguageScorer {
  return (text) => {
    const scores = new Map<string, number>();
    if (text === '') return scores;
    for (const [language, score] of Object.entries(eld.detect(text).getScores())) {
      if (score > 0 && score < 1) scores.set(language, score / (1 - score));
    }
    const malay = scores.get('ms');
    if (malay !== undefined) scores.set('id', malay);
    return scores;
  };
}

let loading: Promise<LanguageDetector> | undefined;

/**
 * Loads eld's large n-gram database (a few seconds and about 150 MB the first time, shared after) and returns
 * the detector. Loaded on demand so that importing this package costs nothing to those who never detect.
 */
export function loadLanguageDetector(): Promise<LanguageDetector> {
  loading ??= import('eld/large').then(({ eld }) => {
    // An instance of our own, so no other user of eld in the process can change its language subset.
    const scorer = eldScorer(eld.newInstance());
    return { detect: (text, options) => identifyLanguage(text, scorer, options) };
  });
  return loading;
}

export async function detectLanguage(text: string, options?: DetectLanguageOptions): Promise<LanguageDetection> {
  const detector = await loadLanguageDetector();
  return detector.detect(text, options);
}
