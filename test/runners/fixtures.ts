// Test extensions the integration suite installs beside Vitals: each folder under test/fixtures/
// that is an extension (test/fixtures/spawner-extension) is packed with the project's own vsce into
// test-results/fixtures/<name>.vsix, which startCodeServer() installs into the run's fresh
// extensions folder — so the fixture runs from an installed extension's folder, as users' do.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, testResultsDir } from './paths';

const FIXTURES = ['spawner-extension'] as const;

/** Packs every fixture extension; returns the .vsix paths. Throws with vsce's output if one fails. */
export function packFixtureExtensions(): string[] {
  const outDir = join(testResultsDir, 'fixtures');
  mkdirSync(outDir, { recursive: true });
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  return FIXTURES.map((name) => {
    const out = join(outDir, `${name}.vsix`);
    const r = spawnSync(
      process.execPath,
      [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out],
      {
        cwd: join(repoRoot, 'test', 'fixtures', name),
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(`packing the fixture extension ${name} failed (status ${r.status}):\n${r.stdout}${r.stderr}`);
    return out;
  });
}
