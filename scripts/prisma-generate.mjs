#!/usr/bin/env node
// Runs `prisma generate` offline. Prisma's CLI wants a native schema engine it would download on first use;
// generation never runs it, so any existing file satisfies the check (DESIGN.md section 8).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [cli, 'generate', '--config', join(root, 'prisma.config.ts')], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
