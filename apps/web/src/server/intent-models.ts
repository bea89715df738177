import { IntentTrainer, WorkspaceIntents, type IntentModelStore } from '@signalbox/ai';
import { IntentRepository } from '@signalbox/db/app';
import { pool } from './db.ts';

// One trainer and one model cache per server process; Next's dev server re-evaluates modules on every edit, so
// they live on globalThis (a second trainer would not know the first one's runs).
const holder = globalThis as typeof globalThis & { signalboxIntentTrainer?: IntentTrainer; signalboxWorkspaceIntents?: WorkspaceIntents };

export function intentRepository(): IntentRepository {
  return new IntentRepository(pool());
}

// The pool is looked up on every call: tests close and reopen it.
const store: IntentModelStore = {
  modelState: (w) => intentRepository().modelState(w),
  storedModel: (w) => intentRepository().storedModel(w),
  trainingSet: (w) => intentRepository().trainingSet(w),
  saveTrained: (w, revision, model, counts) => intentRepository().saveTrained(w, revision, model, counts),
  saveFailed: (w, revision, error) => intentRepository().saveFailed(w, revision, error),
};

/** Trains a workspace's intents after the request that changed them (see IntentTrainer). */
export function intentTrainer(): IntentTrainer {
  holder.signalboxIntentTrainer ??= new IntentTrainer(store);
  return holder.signalboxIntentTrainer;
}

/** The intents the preview and "try it" classify with: the stored model, as the runner uses it. */
export function workspaceIntents(): WorkspaceIntents {
  holder.signalboxWorkspaceIntents ??= new WorkspaceIntents(
    store,
    // A short TTL: an editor who just saved expects the preview to know the change.
    { ttlMs: 1000, onUnreadable: (workspaceId) => intentTrainer().schedule(workspaceId) },
  );
  return holder.signalboxWorkspaceIntents;
}
