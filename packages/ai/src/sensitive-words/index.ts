export {
  CensorOptionsSchema,
  SensitiveWordOptionsSchema,
  SensitiveWordSpanSchema,
  censor,
  compileWordList,
  containsSensitiveWord,
  coverSpans,
  findSensitiveWords,
  type CensorOptions,
  type SensitiveWordMatcher,
  type SensitiveWordOptions,
  type SensitiveWordSpan,
} from './matcher.ts';
export { wordListService, type StoredWordList } from './service.ts';
