// Where things are, found from the repository root rather than from this file's location, because
// the same code runs from test/ (typecheck), out/test/runners/ and out/test/e2e/ (bundles).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'scripts', 'code-server', 'install.mjs'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the Vitals repository root above ${start}`);
    dir = up;
  }
}

export const repoRoot = findRoot(__dirname);
export const outDir = join(repoRoot, 'out');
export const integrationBundle = join(outDir, 'test', 'integration', 'index.js');
export const e2eOutDir = join(outDir, 'test', 'e2e');
export const testResultsDir = join(repoRoot, 'test-results');
export const installScript = join(repoRoot, 'scripts', 'code-server', 'install.mjs');

export type ExtensionManifest = { publisher: string; name: string; version: string };

export function readManifest(): ExtensionManifest {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Partial<ExtensionManifest>;
  if (typeof pkg.publisher !== 'string' || typeof pkg.name !== 'string' || typeof pkg.version !== 'string') {
    throw new Error('package.json lacks publisher, name or version');
  }
  return { publisher: pkg.publisher, name: pkg.name, version: pkg.version };
}

export const extensionId = (m: ExtensionManifest = readManifest()): string => `${m.publisher}.${m.name}`;
