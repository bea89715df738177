import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaFiles } from './published.ts';

/** Writes the published JSON Schemas to schemas/ at the repository root. */
const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const dir = join(root, 'schemas');
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(schemaFiles())) {
  writeFileSync(join(dir, name), text);
  console.log(`wrote schemas/${name}`);
}
