// Language services the flow nodes call: intents, language id, translation, knowledge search, LLM, PII.
// Pure or provider-facing code only; packages/ai never imports packages/db (storage is injected).
export * from './translation/index.ts';
export * from './pii/index.ts';
export * from './sensitive-words/index.ts';
export * from './language/index.ts';
export * from './line-commands.ts';
export * from './services.ts';
export * from './models.ts';
export * from './workspace-intents.ts';
export * from './classifier/index.ts';
export * from './intents/index.ts';
export * from './knowledge/index.ts';
export * from './llm/index.ts';
export * from './emotion/index.ts';
export * from './encoder/index.ts';
