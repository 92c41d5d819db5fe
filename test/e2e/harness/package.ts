// The packaged extension (vitals.vsix), exactly what a user installs: built with `npm run package`
// (vsce, production bundles, .vscodeignore applied).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../runners/paths';

export const vsixPath = join(repoRoot, 'vitals.vsix');

let packagedThisRun = false;

// `npm run test:e2e` packages before the tests start; run alone, a test packages once per run.
// VITALS_E2E_REPACKAGE=1 forces a fresh package even when vitals.vsix exists.
export function ensureVsix(): string {
  const force = process.env.VITALS_E2E_REPACKAGE === '1' && !packagedThisRun;
  if (existsSync(vsixPath) && !force) return vsixPath;
  packageVsix();
  return vsixPath;
}

export function packageVsix(): string {
  const r = spawnSync('npm', ['run', 'package', '--silent'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
  if (r.error) throw new Error(`could not run npm run package: ${r.error.message}`);
  if (r.status !== 0 || !existsSync(vsixPath)) throw new Error(`npm run package failed (status ${r.status}); see its output above`);
  packagedThisRun = true;
  return vsixPath;
}
