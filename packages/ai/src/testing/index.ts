// Local fake servers that speak the providers' documented APIs, for tests (`@signalbox/ai/testing`).
export { providerFailure, startFakeServer, type FakeFailure, type FakeHandler, type FakeResponse, type FakeServer, type FakeServerOptions, type RecordedRequest } from './fake-server.ts';
export { defaultFakeTranslate, type FakeEngineOptions } from './fake-translation.ts';
export { startFakeDeepL, DEEPL_SOURCE_LANGUAGES, DEEPL_TARGET_LANGUAGES, type FakeDeepLOptions } from './fake-deepl.ts';
export { startFakeGoogleTranslate, type FakeGoogleTranslateOptions } from './fake-google-translate.ts';
export { startFakeLibreTranslate, DEFAULT_LIBRETRANSLATE_LANGUAGES, type FakeLibreTranslateOptions } from './fake-libretranslate.ts';
export { bagOfWordsEmbedding, startFakeOpenAi, translationReply, type ChatMessage, type ChatReply, type ChatRequest, type FakeOpenAiOptions } from './fake-openai.ts';
