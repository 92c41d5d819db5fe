#!/usr/bin/env node
// Bundles and runs media/dev/vscode-shots.ts. The bundle goes under out/ because the e2e harness
// finds the repository from its own location.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'out', 'dashboard-shots', 'shots.js');
await esbuild.build({
  entryPoints: [join(root, 'media', 'dev', 'vscode-shots.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  outfile: out,
  logLevel: 'warning',
});
createRequire(import.meta.url)(out);
