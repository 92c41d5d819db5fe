// Bundles the benchmark into out/bench/ (ignored by git), next to fresh production bundles of the
// programs it measures, so `npm run bench` needs nothing built beforehand and never touches dist/
// (other tools may be using it):
//   out/bench/bench.js                 the orchestrator and every measuring child (--child <name>)
//   out/bench/lean.js                  the store alone, for memory figures (bench/lean.ts)
//   out/bench/viewer-feed.js           how a viewer window gets live samples, socket vs journal
//                                      (bench/viewerFeed.ts, run on its own)
//   out/bench/ext/dist/extension.js    src/extension/main.ts, built as `vscode:prepublish` builds it
//   out/bench/ext/dist/backend-worker.js
//   out/bench/ext/dist/cli.js          src/cli/main.ts, the `vitals` bin as the package ships it
//   out/bench/si-monitor.js            the systeminformation-based peer (bench/siMonitor.ts)
//   sql-wasm.wasm beside each bundle (sql.js looks for it next to the script)
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeOptions } from '../esbuild.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'out', 'bench');
const extDist = join(out, 'ext', 'dist');
const wasm = join(root, 'node_modules/sql.js/dist/sql-wasm.wasm');

// The options esbuild.mjs uses with --production: what the .vsix ships.
const production = { ...nodeOptions(true), absWorkingDir: root };

mkdirSync(extDist, { recursive: true });
await Promise.all([
  esbuild.build({
    ...production,
    minify: false,
    sourcemap: 'inline',
    entryPoints: ['bench/main.ts'],
    outfile: join(out, 'bench.js'),
  }),
  esbuild.build({ ...production, minify: false, entryPoints: ['bench/lean.ts'], outfile: join(out, 'lean.js') }),
  esbuild.build({ ...production, minify: false, entryPoints: ['bench/viewerFeed.ts'], outfile: join(out, 'viewer-feed.js') }),
  esbuild.build({ ...production, entryPoints: ['src/extension/main.ts'], outfile: join(extDist, 'extension.js') }),
  esbuild.build({ ...production, entryPoints: ['src/backend/worker/main.ts'], outfile: join(extDist, 'backend-worker.js') }),
  esbuild.build({
    ...production,
    entryPoints: ['src/cli/main.ts'],
    outfile: join(extDist, 'cli.js'),
    banner: { js: '#!/usr/bin/env node' },
  }),
  esbuild.build({ ...production, minify: false, entryPoints: ['bench/siMonitor.ts'], outfile: join(out, 'si-monitor.js') }),
]);
copyFileSync(wasm, join(out, 'sql-wasm.wasm'));
copyFileSync(wasm, join(extDist, 'sql-wasm.wasm'));
