import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real platform payloads under `../shared/fixtures/channels/` (beside the repository, as on CI), or
 * `SIGNALBOX_CHANNEL_FIXTURES`. Tests fail, never skip, when the folder is missing.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const FIXTURES_DIR = process.env.SIGNALBOX_CHANNEL_FIXTURES ?? join(repoRoot, '../shared/fixtures/channels');

function requireFolder(): void {
  if (!existsSync(FIXTURES_DIR)) throw new Error(`channel fixtures not found at ${FIXTURES_DIR} (set SIGNALBOX_CHANNEL_FIXTURES)`);
}

/** The bytes of one fixture, by its path under the fixtures folder (`"whatsapp/whatsapp_cloud_text.json"`). */
export function fixture(path: string): Buffer {
  requireFolder();
  return readFileSync(join(FIXTURES_DIR, path));
}

/** Every fixture file (not SOURCES.md), as `folder/name` paths. */
export function allFixtures(): string[] {
  requireFolder();
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!/\.md$/i.test(name)) out.push(relative(FIXTURES_DIR, path));
    }
  };
  walk(FIXTURES_DIR);
  return out;
}
