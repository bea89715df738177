export {
  CensorOptionsSchema,
  SensitiveWordOptionsSchema,
  SensitiveWordSpanSchema,
  censor,
  compileWordList,
  containsSensitiveWord,
  findSensitiveWords,
  type CensorOptions,
  type SensitiveWordMatcher,
  type SensitiveWordOptions,
  type SensitiveWordSpan,
} from './matcher.ts';
