#!/usr/bin/env node
// The one test command (README, CI): lint and typecheck every workspace through Turborepo, then every test
// suite with Vitest, then a plain "N passed, N failed" closing line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', NEXT_TELEMETRY_DISABLED: '1' };
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env }).status ?? 1;

// bench/ belongs to no workspace; it is checked here with the same rules.
const checks =
  run('npx', ['turbo', 'run', 'lint', 'typecheck', '--output-logs=errors-only']) ||
  run('npx', ['tsc', '-p', 'bench']) ||
  run('npx', ['eslint', 'bench', 'scripts', 'bin']);
if (checks !== 0) {
  console.error('\nlint or typecheck failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// The browser tests run the web app's production build; Turborepo rebuilds it only when its inputs changed.
if (run('npx', ['turbo', 'run', 'build', '--filter=@signalbox/web', '--output-logs=errors-only']) !== 0) {
  console.error('\nthe web app does not build');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'signalbox-test-'));
const report = join(dir, 'vitest.json');
const extra = process.argv.slice(2);
const status = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra]);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  failed = json.numFailedTests + (json.numFailedTestSuites ?? 0);
  skipped = json.numPendingTests + json.numTodoTests;
} catch {
  failed += 1;
}
rmSync(dir, { recursive: true, force: true });
if (status !== 0 && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status === 0 && failed === 0 ? 0 : 1);
