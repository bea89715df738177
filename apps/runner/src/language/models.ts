import type { Logger } from 'pino';
import { shippedModels, WorkspaceIntents } from '@signalbox/ai';
import { IntentRepository, type Pool } from '@signalbox/db';
import type { LanguageModels } from './language-services.ts';

/**
 * Each workspace classifies with its own intents: the model the web app trained and stored, re-read when the
 * workspace's intents change (checked every few seconds), trained here from the stored phrases while a new model
 * is not stored yet or cannot be read. A workspace whose intents were never set up uses the shipped e-commerce
 * intents, and so does every workspace when there is no database (`pool` null).
 */
export function languageModels(pool: Pool | null = null, log?: Logger): LanguageModels {
  const workspaces = pool
    ? new WorkspaceIntents(new IntentRepository(pool), {
        onUnreadable: (workspaceId, error) => log?.warn({ workspaceId, error }, 'stored intent model is unreadable; training from the stored phrases'),
      })
    : null;
  return {
    intents: (workspaceId) => (workspaces ? workspaces.current(workspaceId) : shippedModels.defaultIntents()),
    emotion: () => shippedModels.emotion(),
  };
}
