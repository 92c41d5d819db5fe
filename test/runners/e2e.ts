// npm run test:e2e — end-to-end tests (out/test/e2e/**/*.e2e.js) that drive the packaged Vitals in
// a fresh code-server through headless Chromium. Each describe block gets its own server and
// browser (test/e2e/harness); whatever is left running is stopped here, pass or fail.
//
// Environment: VITALS_TEST_GREP (mocha --grep), VITALS_TEST_TIMEOUT_MS (per test, default 120 s),
// VITALS_E2E_REPACKAGE=1 (package again even if vitals.vsix exists), VITALS_CHROMIUM.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { exitAfterCleanup, isExiting } from './cleanup';
import { e2eOutDir } from './paths';
import { errorDetail } from '../../src/shared/errors';

function e2eFiles(): string[] {
  try {
    return readdirSync(e2eOutDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.e2e.js'))
      .sort()
      .map((f) => join(e2eOutDir, f));
  } catch {
    return [];
  }
}

async function main(): Promise<number> {
  const files = e2eFiles();
  if (files.length === 0) throw new Error(`no *.e2e.js under ${e2eOutDir}: run node scripts/build-tests.mjs`);
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    timeout: Number(process.env.VITALS_TEST_TIMEOUT_MS) || 120_000,
    color: process.stdout.isTTY === true,
    ...(process.env.VITALS_TEST_GREP ? { grep: process.env.VITALS_TEST_GREP } : {}),
  });
  for (const f of files) mocha.addFile(f);
  return new Promise<number>((resolve) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      console.log(`e2e: ${passes} passed, ${failures} failed${pending > 0 ? `, ${pending} skipped` : ''}`);
      resolve(failures > 0 || passes === 0 ? 1 : 0);
    });
  });
}

main().then(
  (code) => exitAfterCleanup(code),
  (err: unknown) => {
    if (isExiting()) return;
    console.error(`test:e2e: FAILED: ${errorDetail(err)}`);
    return exitAfterCleanup(1);
  },
);
