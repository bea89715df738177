import { TranslationError } from './errors.ts';
import type { TranslationProvider } from './provider.ts';
import { createTranslationProvider, parseTranslationSettings } from './settings.ts';
import type { Translator } from './translator.ts';

/** Where a workspace's own translation settings are kept (the database, sealed). */
export interface WorkspaceTranslationSource {
  /** The saved revision, or null when the workspace has none and uses the server's: checked often, so cheap. */
  revision(): Promise<number | null>;
  load(): Promise<{ settings: unknown; glossary: readonly string[] } | null>;
}

export interface WorkspaceTranslatorOptions {
  source: WorkspaceTranslationSource;
  /** The server's translator (TRANSLATION_* settings), for a workspace without its own. */
  fallback: Translator;
  /** A translator on the workspace's provider and glossary (with its translation memory). */
  build(provider: TranslationProvider, glossary: readonly string[]): Translator;
  /** How long a checked revision is trusted: a saved change is live within this. Default 5 s. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * A workspace's translator: its own provider when it saved one in the web app, else the server's. The saved
 * revision is checked at most every `ttlMs`; a new one builds a new translator. Settings that no longer parse
 * (a provider's options changed) fail each translation with kind `not_configured`, naming the field.
 */
export function workspaceTranslator(options: WorkspaceTranslatorOptions): Pick<Translator, 'translate'> {
  const ttlMs = options.ttlMs ?? 5_000;
  const now = options.now ?? Date.now;
  let current: { revision: number | null; checkedAt: number; translator: Promise<Translator> } | null = null;

  const build = async (revision: number | null): Promise<Translator> => {
    if (revision === null) return options.fallback;
    const saved = await options.source.load();
    if (!saved) return options.fallback;
    const parsed = parseTranslationSettings(saved.settings);
    if (!parsed.ok) {
      const problems = parsed.problems.map((p) => `${p.field}: ${p.message}`).join('; ');
      const broken: Translator = {
        ...options.fallback,
        translate: () => Promise.reject(new TranslationError('not_configured', 'translator', `the workspace's translation settings are not valid (${problems}): fix them in Settings`)),
      };
      return broken;
    }
    return options.build(createTranslationProvider(parsed.settings), saved.glossary);
  };

  const translator = async (): Promise<Translator> => {
    if (current && now() - current.checkedAt < ttlMs) return current.translator;
    const revision = await options.source.revision();
    if (current && current.revision === revision) {
      current.checkedAt = now();
      return current.translator;
    }
    const built = build(revision);
    current = { revision, checkedAt: now(), translator: built };
    built.catch(() => {
      current = null;
    });
    return built;
  };

  return { translate: async (input, signal) => (await translator()).translate(input, signal) };
}
