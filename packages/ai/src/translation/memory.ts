import { createHash } from 'node:crypto';

/**
 * Translation memory: translations already paid for, so the same sentence is never sent twice. Keys do not name
 * the provider (a translation stays good when the workspace switches provider) but do name the glossary
 * version (a translation made under other protected terms is not reused). Storage is injected: the database
 * table implements this interface; `createInMemoryTranslationMemory` serves tests and the embedded default.
 */
export interface TmKey {
  /** `sourceTextHash(text)`: SHA-256 of the NFC-normalized source text, hex. */
  sourceHash: string;
  /** The canonical source language code, or `auto` when the provider detects it. */
  source: string;
  target: string;
  glossaryVersion: string;
}

export interface TmValue {
  text: string;
  /** What the provider detected when the source was `auto`. */
  detectedSource?: string;
}

export interface TmEntry {
  key: TmKey;
  value: TmValue;
  /** The provider that made the translation, for audits and for purging one provider's output. */
  provider: string;
}

export interface TranslationMemory {
  /** One round trip for the whole batch; the map is keyed by `tmKeyId(key)` and holds only the hits. */
  get(keys: readonly TmKey[]): Promise<Map<string, TmValue>>;
  /** Stores (or replaces) entries; one round trip for the whole batch. */
  put(entries: readonly TmEntry[]): Promise<void>;
}

export const AUTO_SOURCE = 'auto';

export function sourceTextHash(text: string): string {
  return createHash('sha256').update(text.normalize('NFC')).digest('hex');
}

/** A stable string for a key, usable as a map key or a single-column primary key. */
export function tmKeyId(key: TmKey): string {
  return `${key.glossaryVersion}|${key.source}|${key.target}|${key.sourceHash}`;
}

export interface InMemoryTranslationMemory extends TranslationMemory {
  readonly size: number;
  clear(): void;
}

/** A bounded memory in the process: the least recently used entries go first when it is full. */
export function createInMemoryTranslationMemory(options: { maxEntries?: number } = {}): InMemoryTranslationMemory {
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, TmValue>();
  return {
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
    async get(keys) {
      const hits = new Map<string, TmValue>();
      for (const key of keys) {
        const id = tmKeyId(key);
        const value = entries.get(id);
        if (value === undefined) continue;
        // Re-inserting moves the entry to the end of the Map's order: most recently used.
        entries.delete(id);
        entries.set(id, value);
        hits.set(id, value);
      }
      return hits;
    },
    async put(newEntries) {
      for (const entry of newEntries) {
        const id = tmKeyId(entry.key);
        entries.delete(id);
        entries.set(id, { ...entry.value });
      }
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
  };
}
