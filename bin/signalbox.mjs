#!/usr/bin/env node
// The Signalbox CLI. Runs the TypeScript sources directly through tsx: there is no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../apps/runner/src/cli.ts');
await main(process.argv.slice(2));
