import type { Effect } from '../define.ts';

/** What a step's effects change about the conversation and its contact, for whoever keeps them between steps. */
export interface ConversationChanges {
  /** The conversation's tags after the effects, in the order they were first added. */
  tags: string[];
  /** Contact attributes the effects set (to merge into the contact's), or null when none. */
  attributes: Record<string, unknown> | null;
  /** The language the effects set last, or null when none did. */
  language: string | null;
}

/**
 * Applies a step's tag, contact-attribute and language effects to the tags the conversation had. The runner's worker
 * and the headless runner (CLI `run`, previews) both use it, so a preview sees what a live conversation would.
 */
export function conversationChanges(tags: readonly string[], effects: readonly Effect[]): ConversationChanges {
  const next = new Set(tags);
  let attributes: Record<string, unknown> | null = null;
  let language: string | null = null;
  for (const effect of effects) {
    if (effect.type === 'tag') {
      if (effect.action === 'add') next.add(effect.tag);
      else next.delete(effect.tag);
    }
    if (effect.type === 'set-contact-attribute') attributes = { ...(attributes ?? {}), [effect.key]: effect.value };
    if (effect.type === 'set-language') language = effect.language;
  }
  return { tags: [...next], attributes, language };
}
