import { httpService } from '@signalbox/channels';
import { FlowLibrary, KnowledgeRepository, TemplateRepository, TranslationMemoryStore, WordListRepository, WorkspaceTranslationRepository, WorkspaceWordLists } from '@signalbox/db/app';
import { aiServices, createTranslator, embeddingsFromEnv, meaningSearch, wordListService, workspaceTranslator, glossaryFromEnv, knowledgeText, llmFromEnv, loadLanguageDetector, shippedModels, translationProviderFromEnv } from '@signalbox/ai';
import { newSimulation, SimulatedEvent, SimulationState, simulateEvent, type AiServices, type HttpResponse, type Services, type WordListService } from '@signalbox/nodes';
import { z } from 'zod';
import { pool } from '../db.ts';
import { channelSecretBox } from '../runner-link.ts';
import { workspaceIntents } from '../intent-models.ts';
import { DocumentInput } from '../documents.ts';
import { allowed, router } from '../trpc.ts';

/** What the HTTP request nodes get in a preview: the real network, or a response the user typed in. */
export const PreviewHttp = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('live') }),
  z.object({
    mode: z.literal('mock'),
    status: z.number().int().min(100).max(599).default(200),
    body: z.string().max(100_000).default('{}'),
    headers: z.record(z.string(), z.string()).default({ 'content-type': 'application/json' }),
  }),
]);

const PREVIEW_HTTP_BUDGET_MS = 20_000;

const language = new Map<string, AiServices>();

/** As the runner translates: the workspace's own provider when it saved one in Settings, else the server's. */
function previewTranslator(workspaceId: string) {
  // Opened on the first translation: a preview without translate nodes needs no database.
  const store = () => new TranslationMemoryStore(pool(), workspaceId);
  const memory = { get: (keys: Parameters<TranslationMemoryStore['get']>[0]) => store().get(keys), put: (entries: Parameters<TranslationMemoryStore['put']>[0]) => store().put(entries) };
  const fallback = createTranslator({ provider: translationProviderFromEnv(process.env), glossary: glossaryFromEnv(process.env), memory });
  const box = channelSecretBox();
  if (!box) return fallback;
  const settings = () => new WorkspaceTranslationRepository(pool(), box);
  return workspaceTranslator({
    source: { revision: () => settings().revision(workspaceId), load: () => settings().get(workspaceId) },
    fallback,
    build: (provider, glossary) => createTranslator({ provider, glossary, memory }),
    ttlMs: 0,
  });
}

/** Questions looked up by meaning when the environment names an embeddings API (articles are embedded by the runner). */
function previewMeaningSearch(workspaceId: string) {
  const embeddings = embeddingsFromEnv(process.env);
  if (!embeddings) return {};
  return { searchByMeaning: meaningSearch(embeddings, (query) => new KnowledgeRepository(pool(), knowledgeText).searchByEmbedding(workspaceId, query)) };
}

/**
 * A workspace's language services in the preview, as the runner builds them: the offline models, its published
 * knowledge base, its translation memory, and translation and LLM answers through the providers the environment names.
 */
function previewLanguage(workspaceId: string): AiServices {
  let services = language.get(workspaceId);
  if (!services) {
    services = aiServices({
      language: loadLanguageDetector,
      // The workspace's intents as the runner sees them: its stored model, or its phrases while that trains.
      intents: () => workspaceIntents().current(workspaceId),
      emotion: shippedModels.emotion,
      translator: previewTranslator(workspaceId),
      searchKnowledge: (text, lang, limit) => new KnowledgeRepository(pool(), knowledgeText).search(workspaceId, { text, language: lang, ...(limit ? { limit } : {}) }),
      llm: llmFromEnv(process.env),
      ...previewMeaningSearch(workspaceId),
    });
    language.set(workspaceId, services);
  }
  return services;
}

const wordLists = new Map<string, WordListService>();

/** A workspace's word lists as saved now (no cache: an edit shows in the next preview message); matchers kept per revision. */
function previewWordLists(workspaceId: string): WordListService {
  let service = wordLists.get(workspaceId);
  if (!service) {
    service = wordListService((ids) => new WorkspaceWordLists(new WordListRepository(pool()), 0).load(workspaceId, ids));
    wordLists.set(workspaceId, service);
  }
  return service;
}

export const previewRouter = router({
  /**
   * One customer event through the draft, on the real interpreter, with nothing sent anywhere: the browser keeps
   * the simulation between events and sends it back, so the server holds no preview state.
   */
  step: allowed('preview.run')
    .input(
      z.object({
        document: DocumentInput,
        simulation: SimulationState.nullable(),
        event: SimulatedEvent,
        channel: z.string().min(1).max(40).default('webchat'),
        locale: z.string().max(20).default('en'),
        http: PreviewHttp.default({ mode: 'mock', status: 200, body: '{}', headers: { 'content-type': 'application/json' } }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const library = new FlowLibrary(ctx.prisma);
      const { http } = input;
      // One preview message may chain several HTTP nodes; together they get this long, not a minute each.
      const deadline = Date.now() + PREVIEW_HTTP_BUDGET_MS;
      const services: Services = {
        http: async (request) => {
          if (http.mode === 'mock') return { status: http.status, headers: http.headers, body: http.body } satisfies HttpResponse;
          const left = deadline - Date.now();
          if (left <= 0) throw new Error(`preview time budget of ${PREVIEW_HTTP_BUDGET_MS / 1000} s used up`);
          return httpService({ ...request, timeoutMs: Math.min(request.timeoutMs, left) });
        },
        ai: previewLanguage(ctx.user.workspaceId),
        // Templates as saved now: an edit shows in the next preview message.
        templates: { get: (id) => new TemplateRepository(pool()).get(ctx.user.workspaceId, id) },
        wordLists: previewWordLists(ctx.user.workspaceId),
        // A jump runs the other flow's latest published version, as it would live.
        loadFlow: async (flowId) => {
          const latest = await library.latestVersion(ctx.user.workspaceId, flowId);
          return latest ? { ref: { flowId, versionId: latest.id }, document: latest.document } : null;
        },
      };
      const event = { ...input.event, channel: input.channel, from: { id: 'preview-customer', name: 'Preview customer', locale: input.locale, ...input.event.from } };
      return simulateEvent(input.document, input.simulation ?? newSimulation(new Date().toISOString()), event, services);
    }),
});
