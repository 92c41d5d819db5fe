// Bundles the VS Code test suites and their runners into out/test/ (esbuild, CommonJS, Node 20):
//   out/test/integration/index.js + **/*.test.js  the suite run inside VS Code's extension host
//   out/test/e2e/**/*.e2e.js                        browser-driven end-to-end tests (mocha, Node)
//   out/test/runners/*.js                           the programs behind npm run test:vscode etc.
// Test files are found by globbing, so adding one needs nothing but creating it. Packages stay
// external (required from node_modules at run time): `vscode` only exists inside the extension
// host, and mocha must be one shared instance for the test files to register with it.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'out', 'test');

function find(dir, suffix) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix) && !f.split(/[\\/]/).includes('node_modules'))
    .sort()
    .map((f) => join(dir, f));
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  packages: 'external',
  absWorkingDir: root,
};

const integration = ['test/integration/index.ts', ...find('test/integration', '.test.ts')];
const e2e = find('test/e2e', '.e2e.ts');
const runners = readdirSync(join(root, 'test/runners'))
  .filter((f) => /^(vscode|electron|e2e|sandbox)\.ts$/.test(f))
  .map((f) => join('test/runners', f));

// Stale bundles of deleted tests would still be picked up by the globbing loaders.
rmSync(out, { recursive: true, force: true });
await Promise.all([
  esbuild.build({ ...common, entryPoints: integration, outbase: 'test/integration', outdir: join(out, 'integration') }),
  e2e.length > 0 && esbuild.build({ ...common, entryPoints: e2e, outbase: 'test/e2e', outdir: join(out, 'e2e') }),
  esbuild.build({ ...common, entryPoints: runners, outdir: join(out, 'runners') }),
]);
console.error(
  `build-tests: ${integration.length - 1} integration, ${e2e.length} e2e test file(s), ${runners.length} runner(s) -> ${relative(root, out)}/`,
);
