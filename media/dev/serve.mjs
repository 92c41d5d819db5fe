#!/usr/bin/env node
// Builds and starts the dashboard dev harness (media/dev/server.ts). Needs `npm run build` first
// (it serves dist/webview and runs dist/backend-worker.js).
import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(mkdtempSync(join(tmpdir(), 'vitals-harness-')), 'server.cjs');
await esbuild.build({
  entryPoints: [join(here, 'server.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: out,
  logLevel: 'warning',
  // The server finds the repository from its own location.
  define: { __dirname: JSON.stringify(here) },
});
createRequire(import.meta.url)(out);
