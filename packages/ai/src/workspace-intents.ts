import {
  defaultIntentLanguages,
  defaultIntentNames,
  defaultIntentPhrases,
  defaultIntentTitles,
  deserializeIntentModel,
  intentSetSchema,
  serializeIntentModel,
  trainAsWorkspace,
  type IntentModel,
} from './intents/index.ts';
import { intentSource, shippedModels } from './models.ts';
import type { IntentSource } from './services.ts';

// A workspace's own intents: trained in the background where they are edited (the web server), classified with
// wherever flows run (the runner, the editor's preview, the CLI). Storage is injected: IntentRepository of
// @signalbox/db has these methods.

export interface IntentModelStore {
  /** Null for a workspace whose intents were never set up: it classifies with the shipped defaults. */
  modelState(workspaceId: string): Promise<{ revision: number; trainedRevision: number | null } | null>;
  /** The stored model (JSON, as `serializeIntentModel` wrote it) and the revision it was trained from. */
  storedModel(workspaceId: string): Promise<{ trainedRevision: number; model: unknown } | null>;
  /** The phrases and the revision they are, read together. */
  trainingSet(workspaceId: string): Promise<{ revision: number; intents: { name: string; phrases: string[] }[] } | null>;
  /** Stores a model trained from `revision`; false when the intents changed since (the model is discarded). */
  saveTrained(workspaceId: string, revision: number, model: unknown, counts: { intents: number; phrases: number }): Promise<boolean>;
  saveFailed(workspaceId: string, revision: number, error: string): Promise<boolean>;
}

/** The default intents as a workspace is seeded with them: a title each, every phrase with its language. */
export function defaultIntentSeed(): { name: string; title: string; phrases: { text: string; language: string }[] }[] {
  return defaultIntentNames.map((name) => ({
    name,
    title: defaultIntentTitles[name],
    phrases: defaultIntentLanguages.flatMap((language) => defaultIntentPhrases[name][language].map((text) => ({ text, language }))),
  }));
}

export type IntentTraining = { ok: true; model: IntentModel; counts: { intents: number; phrases: number } } | { ok: false; error: string };

/**
 * Trains a workspace's intents, or says in words why they cannot be trained (fewer than two, one without phrases).
 * Mostly English phrases also train on the sentence encoder's vectors (`trainAsWorkspace`).
 */
export async function trainIntentSet(intents: readonly { name: string; phrases: readonly string[] }[]): Promise<IntentTraining> {
  const parsed = intentSetSchema.safeParse(intents);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const index = issue?.path[0];
    const intent = typeof index === 'number' ? intents[index]?.name : undefined;
    return { ok: false, error: `${intent ? `intent "${intent}": ` : ''}${issue?.message ?? 'the intents cannot be trained'}` };
  }
  try {
    const model = await trainAsWorkspace(parsed.data.flatMap((i) => i.phrases.map((text) => ({ text, label: i.name }))));
    return { ok: true, model, counts: { intents: parsed.data.length, phrases: parsed.data.reduce((n, i) => n + i.phrases.length, 0) } };
  } catch (error) {
    return { ok: false, error: `training failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** What a workspace without a usable model classifies with: never sure, so flows take their "not sure" branch. */
const NOT_SURE: IntentSource = { classify: () => ({ intent: null, confidence: 0, runnersUp: [] }) };

interface Cached {
  /** The revision of the intents this source answers for; null: the shipped defaults. */
  revision: number | null;
  checkedAt: number;
  source: IntentSource;
}

/**
 * Each workspace's intents as classify-intent nodes use them, cached by revision: at most every `ttlMs` a
 * workspace's revision is read (one small query), and only a new revision loads anything. For a revision it uses
 * the stored model when that was trained from it; otherwise (training still running, or a stored model this
 * version cannot read) it trains from the stored phrases here. No stored intents: the shipped defaults.
 */
export class WorkspaceIntents {
  private readonly cached = new Map<string, Cached>();
  private readonly loading = new Map<string, Promise<IntentSource>>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: IntentModelStore,
    private readonly options: {
      ttlMs?: number;
      now?: () => number;
      /** Told when a stored model cannot be read (e.g. written by another version), so it can be retrained. */
      onUnreadable?: (workspaceId: string, error: string) => void;
    } = {},
  ) {
    this.ttlMs = options.ttlMs ?? 3000;
    this.now = options.now ?? Date.now;
  }

  /** The workspace's intents; each classification uses the freshest model (within the TTL). */
  source(workspaceId: string): IntentSource {
    return { classify: async (text, options) => (await this.current(workspaceId)).classify(text, options) };
  }

  /** `fresh`: check the stored revision now, whatever the TTL (an editor's "try it" right after a save). */
  async current(workspaceId: string, options: { fresh?: boolean } = {}): Promise<IntentSource> {
    const cached = this.cached.get(workspaceId);
    if (cached && !options.fresh && this.now() - cached.checkedAt < this.ttlMs) return cached.source;
    let pending = this.loading.get(workspaceId);
    if (!pending) {
      pending = this.refresh(workspaceId, cached).finally(() => this.loading.delete(workspaceId));
      this.loading.set(workspaceId, pending);
    }
    return pending;
  }

  private async refresh(workspaceId: string, cached: Cached | undefined): Promise<IntentSource> {
    const checkedAt = this.now();
    const state = await this.store.modelState(workspaceId);
    const revision = state?.revision ?? null;
    if (cached && cached.revision === revision) {
      cached.checkedAt = checkedAt;
      return cached.source;
    }
    let source: IntentSource;
    if (!state) source = await shippedModels.defaultIntents();
    else source = (state.trainedRevision === state.revision ? await this.stored(workspaceId) : null) ?? (await this.trained(workspaceId)) ?? (await this.stored(workspaceId)) ?? NOT_SURE;
    this.cached.set(workspaceId, { revision, checkedAt, source });
    return source;
  }

  private async stored(workspaceId: string): Promise<IntentSource | null> {
    const stored = await this.store.storedModel(workspaceId);
    if (!stored) return null;
    const model = await deserializeIntentModel(stored.model);
    if (model.ok) return intentSource(model.model);
    this.options.onUnreadable?.(workspaceId, model.error);
    return null;
  }

  private async trained(workspaceId: string): Promise<IntentSource | null> {
    const set = await this.store.trainingSet(workspaceId);
    const training = set ? await trainIntentSet(set.intents) : null;
    return training?.ok ? intentSource(training.model) : null;
  }
}

export type TrainingOutcome = 'ready' | 'failed' | 'superseded' | 'missing';

/**
 * Trains workspaces' intents in the background of the process that edits them. `schedule` returns at once; the
 * training runs after the current request (training is synchronous CPU work, well under a second for a shop's
 * intents). One run per workspace at a time: a change during a run queues one more run, and a run whose revision
 * was overtaken stores nothing (the store checks the revision), so the last change always wins.
 */
export class IntentTrainer {
  private readonly runs = new Map<string, { again: boolean; done: Promise<void> }>();

  constructor(
    private readonly store: IntentModelStore,
    private readonly options: { onOutcome?: (workspaceId: string, outcome: TrainingOutcome, detail?: string) => void } = {},
  ) {}

  schedule(workspaceId: string): void {
    const run = this.runs.get(workspaceId);
    if (run) {
      run.again = true;
      return;
    }
    const started = { again: false, done: Promise.resolve() };
    started.done = (async () => {
      try {
        do {
          started.again = false;
          await new Promise((resolve) => setImmediate(resolve));
          await this.trainOnce(workspaceId);
        } while (started.again);
      } finally {
        this.runs.delete(workspaceId);
      }
    })();
    this.runs.set(workspaceId, started);
  }

  isTraining(workspaceId: string): boolean {
    return this.runs.has(workspaceId);
  }

  /** Resolves when the workspace's queued training has finished (at once when none is). */
  async settled(workspaceId: string): Promise<void> {
    await this.runs.get(workspaceId)?.done;
  }

  /** One training of the workspace's current intents, stored if they did not change meanwhile. */
  async trainOnce(workspaceId: string): Promise<TrainingOutcome> {
    let outcome: TrainingOutcome;
    let detail: string | undefined;
    try {
      const set = await this.store.trainingSet(workspaceId);
      if (!set) outcome = 'missing';
      else {
        const training = await trainIntentSet(set.intents);
        const stored = training.ok
          ? await this.store.saveTrained(workspaceId, set.revision, serializeIntentModel(training.model), training.counts)
          : await this.store.saveFailed(workspaceId, set.revision, training.error);
        outcome = !stored ? 'superseded' : training.ok ? 'ready' : 'failed';
        if (!training.ok) detail = training.error;
      }
    } catch (error) {
      // The database went away mid-run: the model stays stale, and the next schedule (or status check) retries.
      outcome = 'failed';
      detail = error instanceof Error ? error.message : String(error);
    }
    this.options.onOutcome?.(workspaceId, outcome, detail);
    return outcome;
  }
}
