import { searchableText, searchableWords } from './text.ts';

/**
 * How a customer's question becomes a Postgres tsquery:
 * - `any`: each word of the question, OR-ed, for `to_tsquery` (which stems each with the article's configuration
 *   and drops stop words): an article matches when it shares any word, and ranking sorts them;
 * - `plain`: the question as it is, for `plainto_tsquery` (every word must be in the article);
 * - `websearch`: the question as it is, for `websearch_to_tsquery` (every word, with "quoted phrases", `or` and
 *   `-word` honoured).
 * `any` is the default. Measured on ABCD's FAQ questions (packages/ai/eval/knowledge.ts), it puts the right
 * article first for 82% of them, `plain` 39% and `websearch` 43%: a chat sentence rarely has all its words in one
 * article, so the AND of the other two finds nothing for most (and for all but one of the longer problem statements).
 */
export const KNOWLEDGE_QUERY_MODES = ['any', 'plain', 'websearch'] as const;
export type KnowledgeQueryMode = (typeof KNOWLEDGE_QUERY_MODES)[number];
export const DEFAULT_KNOWLEDGE_QUERY_MODE: KnowledgeQueryMode = 'any';

/** More words than this add cost, not precision: a pasted e-mail is cut to its first distinct words. */
export const MAX_KNOWLEDGE_QUERY_WORDS = 32;

/**
 * Words that frame a chat request rather than name its subject (greetings, thanks, "I want to know"), which
 * Postgres's stop-word lists keep. Unknown to a knowledge base, they would count as the question's rarest words
 * and sink the normalised score of "Hi! How do I reset my password? Thanks". Lowercase, accents as typed.
 */
const FILLER_WORDS = new Set([
  // English
  'hi', 'hello', 'hey', 'hiya', 'thanks', 'thank', 'thx', 'ty', 'please', 'pls', 'plz', 'ok', 'okay', 'cheers',
  'want', 'wanted', 'need', 'needed', 'know', 'wondering', 'wonder', 'help', 'tell', 'ask', 'asking', 'question', 'like',
  // Spanish, Portuguese
  'hola', 'buenas', 'buenos', 'gracias', 'favor', 'quiero', 'quisiera', 'necesito', 'saber', 'ayuda', 'pregunta',
  'olá', 'ola', 'oi', 'obrigado', 'obrigada', 'quero', 'gostaria', 'preciso', 'ajuda',
  // French, German, Italian, Dutch
  'bonjour', 'salut', 'merci', 'svp', 'veux', 'voudrais', 'besoin', 'aide', 'savoir',
  'hallo', 'danke', 'bitte', 'möchte', 'brauche', 'hilfe', 'wissen',
  'ciao', 'salve', 'grazie', 'vorrei', 'voglio', 'bisogno', 'aiuto', 'sapere',
  'hoi', 'bedankt', 'alstublieft', 'graag', 'hulp', 'weten',
]);

// The same for scripts without spaces, removed before they are split into bigrams.
const UNSPACED_FILLER = /你好|您好|谢谢|謝謝|请问|請問|こんにちは|ありがとうございます|ありがとう|すみません|안녕하세요|감사합니다|สวัสดี(?:ครับ|ค่ะ)?|ขอบคุณ(?:ครับ|ค่ะ)?/g;

/**
 * The text for the mode's tsquery function; empty when the question has no word to search for. The question goes
 * through `searchableText` as the articles did, so Chinese is split into the same bigrams. In `any` mode every
 * word is quoted and contains only letters, digits and marks, so no input can inject tsquery operators.
 */
export function knowledgeQuery(question: string, mode: KnowledgeQueryMode = DEFAULT_KNOWLEDGE_QUERY_MODE): string {
  switch (mode) {
    case 'any': {
      const words = [...new Set(searchableWords(searchableText(question.replace(UNSPACED_FILLER, ' '))))].filter((word) => !FILLER_WORDS.has(word)).slice(0, MAX_KNOWLEDGE_QUERY_WORDS);
      return words.map((word) => `'${word}'`).join(' | ');
    }
    case 'plain':
    case 'websearch': {
      const text = searchableText(question);
      return searchableWords(text).length === 0 ? '' : text;
    }
    default: {
      const never: never = mode;
      throw new Error(`unknown query mode ${String(never)}`);
    }
  }
}
