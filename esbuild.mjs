// Bundles every program Vitals ships into dist/: the extension, the backend worker, the CLI and the
// dashboard webview app, and copies the files they load at run time (sql.js's and node-sqlite3-wasm's
// wasm, codicons).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const dist = join(root, 'dist');

/** Options of the Node bundles; bench/build.mjs builds what it measures with the production ones. */
export function nodeOptions(forProduction) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: forProduction ? false : 'linked',
    minify: forProduction,
    logLevel: 'warning',
    // Provided by VS Code at run time.
    external: ['vscode'],
  };
}

const node = nodeOptions(production);

const builds = [
  { ...node, entryPoints: { extension: 'src/extension/main.ts' }, outdir: dist },
  { ...node, entryPoints: { 'backend-worker': 'src/backend/worker/main.ts' }, outdir: dist },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: dist, banner: { js: '#!/usr/bin/env node' } },
];
if (existsSync(join(root, 'media/dashboard/main.ts'))) {
  builds.push({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    entryPoints: { dashboard: 'media/dashboard/main.ts' },
    outdir: join(dist, 'webview'),
    loader: { '.css': 'css' },
  });
}

function copyAssets() {
  mkdirSync(dist, { recursive: true });
  copyFileSync(join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), join(dist, 'sql-wasm.wasm'));
  // The SQLite engine `export --format sqlite` writes with (queries/exportSqlite.ts): it loads its
  // .wasm from beside the bundle, on the first SQLite export only.
  copyFileSync(join(root, 'node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm'), join(dist, 'node-sqlite3-wasm.wasm'));
  const codicons = join(root, 'node_modules/@vscode/codicons/dist');
  mkdirSync(join(dist, 'codicons'), { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(codicons, f), join(dist, 'codicons', f));
}

// Builds only when run (`node esbuild.mjs`), not when bench/build.mjs imports nodeOptions.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!watch) rmSync(dist, { recursive: true, force: true });
  copyAssets();
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    console.log('esbuild: watching');
  } else {
    await Promise.all(builds.map((b) => esbuild.build(b)));
  }
}
