// The VS Code integration suite's entry: the module whose run() VS Code's extension host calls when
// started with extensionTestsPath, both in code-server (npm run test:vscode) and in the Electron
// VS Code of @vscode/test-electron (npm run test:electron). It runs with the real `vscode` API.
//
// scripts/build-tests.mjs compiles every test/integration/**/*.test.ts next to this file's bundle;
// run() loads whatever *.test.js it finds there, so a new test file needs nothing but to exist.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

// The code-server runner receives the extension host's console mixed with the workbench's own
// chatter, with nothing to tell them apart. It sets VITALS_TEST_LOG_MARK, and the reporter's lines
// (and testLog()'s, see harness/log.ts) carry that mark so the runner can show exactly those and
// file the rest away. VS Code pins the extension host's console methods (their setters are no-ops),
// so a test's plain console.log lands in that file. Without the variable (test-electron) nothing
// is marked.
const mark = process.env.VITALS_TEST_LOG_MARK ?? '';
const print = (...args: unknown[]) => console.log(mark + format(...args));

function markReporter(): () => void {
  const saved = Mocha.reporters.Base.consoleLog;
  Mocha.reporters.Base.consoleLog = print;
  return () => {
    Mocha.reporters.Base.consoleLog = saved;
  };
}

// The runner passes these through the server's environment, which the extension host inherits.
function options(): Mocha.MochaOptions {
  const o: Mocha.MochaOptions = {
    ui: 'bdd',
    reporter: 'spec',
    // Generous: the first activation in a cold extension host, on a busy 2-core CI machine.
    timeout: Number(process.env.VITALS_TEST_TIMEOUT_MS) || 60_000,
    color: process.env.VITALS_TEST_COLOR === '1',
  };
  if (process.env.VITALS_TEST_GREP) o.grep = process.env.VITALS_TEST_GREP;
  return o;
}

/**
 * Stops the backend, as deactivate() does when the window closes, and checks the whole run's log:
 * it must come after every other file, whatever the names. Mocha runs files in the order added.
 */
const LAST = 'deactivate.test.js';

/** Every test file, in name order, and LAST at the end. */
export function testFiles(dir: string = __dirname): string[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  const others = files.filter((f) => f !== LAST);
  // Renamed or moved, it would run in the middle and stop the backend under the tests after it.
  if (others.length === files.length) throw new Error(`${LAST} is missing next to ${__filename}: the shutdown test must run last`);
  return [...others, LAST].map((f) => join(dir, f));
}

export async function run(): Promise<void> {
  const files = testFiles();
  if (files.length === 0) throw new Error(`no *.test.js next to ${__filename}: run node scripts/build-tests.mjs`);
  const mocha = new Mocha(options());
  for (const f of files) mocha.addFile(f);
  const unmark = markReporter();
  try {
    await runMocha(mocha);
  } finally {
    unmark();
  }
}

function runMocha(mocha: Mocha): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, pending = 0 } = runner.stats ?? {};
        // The closing line CI reads: "N passed, N failed".
        print(`integration: ${passes} passed, ${failures} failed${pending > 0 ? `, ${pending} skipped` : ''}`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else if (passes === 0) reject(new Error('no integration test ran (check VITALS_TEST_GREP)'));
        else resolve();
      });
    } catch (err) {
      // A test file that throws while loading.
      reject(err);
    }
  });
}
