import { ftsConfigFor } from './fts-config.ts';
import { knowledgeQuery } from './query.ts';
import { foldLatinAccents, searchableText } from './text.ts';

export { FTS_CONFIGS, ftsConfigFor } from './fts-config.ts';
export type { FtsConfig } from './fts-config.ts';
export { foldLatinAccents, markdownToPlainText, searchableText, searchableWords, segmentUnspaced } from './text.ts';
export type { MarkdownToPlainTextOptions } from './text.ts';
export { DEFAULT_KNOWLEDGE_QUERY_MODE, MAX_KNOWLEDGE_QUERY_WORDS, KNOWLEDGE_QUERY_MODES, knowledgeQuery } from './query.ts';
export type { KnowledgeQueryMode } from './query.ts';
export { DEFAULT_ANSWER_CHARS, DEFAULT_ANSWER_THRESHOLD, answerText, selectAnswer, trimForChat } from './answer.ts';
export type { AnswerTextOptions, AnswerableArticle, KnowledgeHit, KnowledgeKind, SelectAnswerOptions } from './answer.ts';

/**
 * The text functions the knowledge repository in packages/db indexes and searches with (db imports no ai, so the
 * runner hands this object to `new KnowledgeRepository(pool, knowledgeText)`).
 */
export const knowledgeText = { ftsConfigFor, searchableText, foldLatinAccents, knowledgeQuery };
