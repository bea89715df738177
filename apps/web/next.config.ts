import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

// npm workspaces hoist next, react and tailwindcss to the monorepo's node_modules: both the bundler and the
// output tracing must see the monorepo root, not apps/web.
const monorepoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const nextConfig: NextConfig = {
  // Browser tests on `next dev` give each run a directory of its own: Next allows one dev server per directory.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  outputFileTracingRoot: monorepoRoot,
  turbopack: { root: monorepoRoot },
  poweredByHeader: false,
  // The test command typechecks every workspace before it builds; checking again here only costs time.
  typescript: { ignoreBuildErrors: true },
  // The dev server refuses its live-reload socket to hosts it does not know; tests and the embedded default use 127.0.0.1.
  allowedDevOrigins: ['127.0.0.1', 'localhost'],
};

export default nextConfig;
