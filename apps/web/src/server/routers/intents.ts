import { DEFAULT_INTENT_THRESHOLD, defaultIntentNames, defaultIntentSeed, defaultIntentTitles, loadLanguageDetector, parseIntentCsv, SUPPORTED_LANGUAGES } from '@signalbox/ai';
import { intentNameSchema, type ImportMode, type IntentModelState, type IntentProblem, type IntentRow, type IntentWrite, type PhraseWrite } from '@signalbox/db/app';
import { z } from 'zod';
import { intentRepository, intentTrainer, workspaceIntents } from '../intent-models.ts';
import { Id, required, SupportedLanguage } from '../fields.ts';
import { allowed, badInput, fieldError, router } from '../trpc.ts';

const Language = SupportedLanguage;

const Name = z.string({ error: required }).pipe(intentNameSchema);
const Title = z.string().trim().max(200, 'at most 200 characters');
const Description = z.string().trim().max(2000, 'at most 2,000 characters');
const Phrase = z.string({ error: required }).trim().min(1, 'a training phrase cannot be empty').max(1000, 'at most 1,000 characters');

/**
 * Phrases as an editor pastes them, one a line (empty lines are skipped), and their language: a code, or null to
 * detect each line's language.
 */
const PhraseLines = {
  lines: z
    .array(z.string().max(1000, 'at most 1,000 characters'))
    .max(2000, 'at most 2,000 phrases at once')
    .transform((lines) => lines.map((l) => l.trim()).filter((l) => l !== '')),
  language: Language.nullable().default(null),
};

const CreateInput = z.object({ name: Name, title: Title.default(''), description: Description.default(''), ...PhraseLines, lines: PhraseLines.lines.default([]) });
const UpdateInput = z.object({ id: Id, name: Name.optional(), title: Title.optional(), description: Description.optional() });
const AddPhrasesInput = z.object({ intentId: Id, ...PhraseLines }).refine((i) => i.lines.length > 0, { message: 'type or paste at least one phrase', path: ['lines'] });
const UpdatePhraseInput = z.object({ id: Id, text: Phrase, language: Language.nullable() });

const ImportInput = z.object({
  csv: z.string({ error: required }).max(2_000_000, 'the file is larger than 2 MB').refine((csv) => csv.trim() !== '', 'choose a file or paste CSV'),
  /** `merge` adds the file's phrases; `replace` makes the workspace's intents exactly the file's. */
  mode: z.enum(['merge', 'replace'], { error: 'choose merge or replace' }).default('merge'),
  /** Only say what would change. */
  dryRun: z.boolean().default(false),
});

const TryInput = z.object({ text: z.string({ error: required }).trim().min(1, 'type a customer message').max(1000, 'at most 1,000 characters') });

/** Below this the detector's guess is not written on a phrase: its language stays unknown. */
const LANGUAGE_CONFIDENCE = 0.5;

async function withLanguages(lines: readonly string[], language: string | null): Promise<{ text: string; language: string | null }[]> {
  if (language !== null || lines.length === 0) return lines.map((text) => ({ text, language }));
  const detector = await loadLanguageDetector();
  return lines.map((text) => {
    const found = detector.detect(text);
    return { text, language: found.language !== null && found.confidence >= LANGUAGE_CONFIDENCE ? found.language : null };
  });
}

const seededHere = new Set<string>();

/**
 * Gives a workspace the shipped default intents the first time its intents are read (the repository seeds once;
 * this process remembers it has checked) and trains them.
 */
async function seeded(workspaceId: string): Promise<void> {
  if (seededHere.has(workspaceId)) return;
  if (await intentRepository().ensureSeeded(workspaceId, defaultIntentSeed())) intentTrainer().schedule(workspaceId);
  seededHere.add(workspaceId);
}

export interface TrainingStatus {
  state: 'training' | 'ready' | 'failed';
  /** When the model in use was trained; null before the first. */
  trainedAt: Date | null;
  error: string | null;
  /** What the model in use was trained from. */
  intentCount: number;
  phraseCount: number;
}

/** The state the editor shows; a stale model nobody here is training (after a restart) is trained now. */
function statusOf(workspaceId: string, state: IntentModelState | null): TrainingStatus {
  if (!state) return { state: 'training', trainedAt: null, error: null, intentCount: 0, phraseCount: 0 };
  const current = state.trainedRevision === state.revision;
  const failed = state.status === 'failed';
  if (!current && !failed && !intentTrainer().isTraining(workspaceId)) intentTrainer().schedule(workspaceId);
  return {
    state: failed ? 'failed' : current ? 'ready' : 'training',
    trainedAt: state.trainedAt,
    error: failed ? state.error : null,
    intentCount: state.intentCount,
    phraseCount: state.phraseCount,
  };
}

function problems(list: IntentProblem[]) {
  return badInput(list.map((p) => `${p.field}: ${p.message}`).join('; '), list.map((p) => ({ path: p.field, message: p.message })));
}

function written<T extends IntentWrite | PhraseWrite>(workspaceId: string, result: T, what: 'intent' | 'phrase' = 'intent'): Extract<T, { ok: true }> {
  if (result.ok) {
    intentTrainer().schedule(workspaceId);
    // TypeScript does not narrow a generic union by its tag.
    return result as Extract<T, { ok: true }>;
  }
  if (result.reason === 'not_found') throw fieldError('NOT_FOUND', 'id', `no such ${what} in this workspace`);
  // The repository names pasted lines `phrases.N`; the form calls them `lines.N`.
  throw problems(result.problems.map((p) => ({ ...p, field: p.field.replace(/^phrases\./, 'lines.') })));
}

/** One CSV field, quoted when it must be (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The file's rows, or every problem with its row and column (`csv.<row>.<column>`), checked as the import would. */
async function csvRows(csv: string): Promise<IntentRow[]> {
  const parsed = parseIntentCsv(csv);
  const errors = parsed.ok ? [] : parsed.errors.map((e) => ({ row: e.row, column: e.column, message: e.message }));
  const phrases = parsed.ok ? parsed.phrases : [];
  // parseIntentCsv gives a phrase no line number: phrase i is on line i + 2 unless blank lines or quoted line breaks
  // come before it, so a bad name's line is the first from there on that holds the phrase's text.
  phrases.forEach((phrase, i) => {
    const name = intentNameSchema.safeParse(phrase.intent);
    if (!name.success) errors.push({ row: lineOf(csv, phrase.text, i + 2), column: 'intent', message: `"${phrase.intent}": ${name.error.issues[0]?.message ?? 'not a valid intent name'}` });
    else if (phrase.text.length > 1000) errors.push({ row: lineOf(csv, phrase.text, i + 2), column: 'text', message: 'at most 1,000 characters' });
  });
  if (errors.length > 0) {
    throw badInput(
      `the file has ${errors.length} problem${errors.length === 1 ? '' : 's'}; nothing was imported`,
      errors.map((e) => ({ path: ['csv', e.row ?? 'file', e.column ?? ''].filter((p) => p !== '').join('.'), message: e.message })),
    );
  }
  const languages = await withLanguages(
    phrases.map((p) => p.text),
    null,
  );
  return phrases.map((p, i) => ({ intent: p.intent, text: p.text, language: languages[i]?.language ?? null }));
}

/** The 1-based line a phrase's text first appears on (at or after `from`), for a row error; `from` when not found. */
function lineOf(csv: string, text: string, from: number): number {
  const lines = csv.split(/\r?\n/);
  for (let i = from - 1; i < lines.length; i++) if (lines[i]?.includes(text)) return i + 1;
  return from;
}

export const intentsRouter = router({
  /** The workspace's intents by name with phrase counts and languages, and the model's training status. */
  list: allowed('content.read').query(async ({ ctx }) => {
    const workspaceId = ctx.user.workspaceId;
    await seeded(workspaceId);
    const repository = intentRepository();
    const [intents, state] = await Promise.all([repository.list(workspaceId), repository.modelState(workspaceId)]);
    const names = new Set(intents.map((i) => i.name));
    return {
      intents,
      status: statusOf(workspaceId, state),
      // The languages a phrase may be marked with, for the editor's pickers (the client bundle does not load packages/ai).
      languages: SUPPORTED_LANGUAGES.map((l) => ({ code: l.code, name: l.name })),
      /** Shipped default intents the workspace has no intent of that name for (newer ones, or ones it deleted). */
      missingDefaults: defaultIntentNames.filter((name) => !names.has(name)).map((name) => ({ name, title: defaultIntentTitles[name] })),
    };
  }),

  /** Adds the missing default intents (`list.missingDefaults`) with their phrases, and retrains. */
  addDefaults: allowed('content.edit').mutation(async ({ ctx }) => {
    const workspaceId = ctx.user.workspaceId;
    await seeded(workspaceId);
    const added = await intentRepository().addMissing(workspaceId, defaultIntentSeed());
    if (added.length > 0) intentTrainer().schedule(workspaceId);
    return { added };
  }),

  /** Polled while training. */
  status: allowed('content.read').query(async ({ ctx }) => {
    await seeded(ctx.user.workspaceId);
    return statusOf(ctx.user.workspaceId, await intentRepository().modelState(ctx.user.workspaceId));
  }),

  get: allowed('content.read')
    .input(z.object({ id: Id }))
    .query(async ({ ctx, input }) => {
      const intent = await intentRepository().get(ctx.user.workspaceId, input.id);
      if (!intent) throw fieldError('NOT_FOUND', 'id', 'no such intent in this workspace');
      return intent;
    }),

  create: allowed('content.edit')
    .input(CreateInput)
    .mutation(async ({ ctx, input }) => {
      await seeded(ctx.user.workspaceId);
      const phrases = await withLanguages(input.lines, input.language);
      return written(ctx.user.workspaceId, await intentRepository().create(ctx.user.workspaceId, { name: input.name, title: input.title, description: input.description }, phrases)).intent;
    }),

  /**
   * A rename keeps the phrases and renames the intent in the flow drafts that route on it; `renamed` says which,
   * and which published flows still route on the old name (they need publishing again).
   */
  update: allowed('content.edit')
    .input(UpdateInput)
    .mutation(async ({ ctx, input }) => {
      const { id, ...patch } = input;
      const fields = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const result = written(ctx.user.workspaceId, await intentRepository().update(ctx.user.workspaceId, id, fields, ctx.user.id));
      return { ...result.intent, renamed: result.renamed ?? null };
    }),

  /** The flows that route on the intent (in their draft, their published version, or both), for the rename form. */
  usedBy: allowed('content.read')
    .input(z.object({ id: Id }))
    .query(async ({ ctx, input }) => {
      const intent = await intentRepository().get(ctx.user.workspaceId, input.id);
      if (!intent) throw fieldError('NOT_FOUND', 'id', 'no such intent in this workspace');
      return intentRepository().usedBy(ctx.user.workspaceId, intent.name);
    }),

  delete: allowed('content.edit')
    .input(z.object({ id: Id }))
    .mutation(async ({ ctx, input }) => {
      if (!(await intentRepository().delete(ctx.user.workspaceId, input.id))) throw fieldError('NOT_FOUND', 'id', 'no such intent in this workspace');
      intentTrainer().schedule(ctx.user.workspaceId);
      return { deleted: input.id };
    }),

  /** Adds pasted lines; a phrase the intent already has is skipped and counted. */
  addPhrases: allowed('content.edit')
    .input(AddPhrasesInput)
    .mutation(async ({ ctx, input }) => {
      const phrases = await withLanguages(input.lines, input.language);
      const result = written(ctx.user.workspaceId, await intentRepository().addPhrases(ctx.user.workspaceId, input.intentId, phrases));
      return { intent: result.intent, added: result.added, duplicates: result.duplicates };
    }),

  updatePhrase: allowed('content.edit')
    .input(UpdatePhraseInput)
    .mutation(async ({ ctx, input }) => {
      const { id, ...phrase } = input;
      return written(ctx.user.workspaceId, await intentRepository().updatePhrase(ctx.user.workspaceId, id, phrase), 'phrase').intent;
    }),

  removePhrase: allowed('content.edit')
    .input(z.object({ id: Id }))
    .mutation(async ({ ctx, input }) => {
      if (!(await intentRepository().removePhrase(ctx.user.workspaceId, input.id))) throw fieldError('NOT_FOUND', 'id', 'no such phrase in this workspace');
      intentTrainer().schedule(ctx.user.workspaceId);
      return { removed: input.id };
    }),

  /**
   * A CSV with columns text and intent (or category): every problem is reported with its row and column and
   * nothing is imported until there are none. `dryRun` says what would change.
   */
  importCsv: allowed('content.edit')
    .input(ImportInput)
    .mutation(async ({ ctx, input }) => {
      const workspaceId = ctx.user.workspaceId;
      await seeded(workspaceId);
      const rows = await csvRows(input.csv);
      const mode: ImportMode = input.mode;
      if (input.dryRun) return { imported: false, plan: await intentRepository().planImport(workspaceId, rows, mode), rows: rows.length };
      const plan = await intentRepository().importRows(workspaceId, rows, mode);
      intentTrainer().schedule(workspaceId);
      return { imported: true, plan, rows: rows.length };
    }),

  /** Every phrase as CSV (text, intent, language), which `importCsv` reads back. */
  exportCsv: allowed('content.read').query(async ({ ctx }) => {
    await seeded(ctx.user.workspaceId);
    const rows = await intentRepository().rows(ctx.user.workspaceId);
    const csv = ['text,intent,language', ...rows.map((r) => [r.text, r.intent, r.language ?? ''].map(csvField).join(','))].join('\n') + '\n';
    return { csv, filename: 'intents.csv', rows: rows.length };
  }),

  /** What the current model makes of a customer message: the intent (null: not sure), confidence, runners-up. */
  tryIt: allowed('content.read')
    .input(TryInput)
    .mutation(async ({ ctx, input }) => {
      await seeded(ctx.user.workspaceId);
      const guess = await (await workspaceIntents().current(ctx.user.workspaceId, { fresh: true })).classify(input.text, {});
      return { intent: guess.intent, confidence: guess.confidence, runnersUp: [...guess.runnersUp], threshold: guess.threshold ?? DEFAULT_INTENT_THRESHOLD };
    }),
});
