// npm run test:vscode — the integration suite (out/test/integration/index.js) inside a real VS Code
// extension host: code-server serves the workbench, headless Chromium opens it with an extension
// development payload, and the workbench reports the suite's output and exit code back to us.
//
// Environment: VITALS_TEST_GREP (mocha --grep), VITALS_TEST_TIMEOUT_MS (per test),
// VITALS_SUITE_TIMEOUT_MS (whole run, default 10 min), VITALS_TEST_VERBOSE=1 (show the workbench's
// own log too), VITALS_CHROMIUM (browser path).
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { launchChromium } from './browser';
import { exitAfterCleanup, isExiting } from './cleanup';
import { copiedLogPath, ensureCodeServer, startCodeServer } from './codeServer';
import { packFixtureExtensions } from './fixtures';
import { integrationBundle, repoRoot, testResultsDir } from './paths';
import { errorDetail } from '../../src/shared/errors';

const LOG_MARK = '::vitals-test:: ';
const suiteTimeoutMs = Number(process.env.VITALS_SUITE_TIMEOUT_MS) || 10 * 60_000;

type Outcome = { kind: 'exit'; code: number } | { kind: 'timeout' } | { kind: 'crash'; reason: string };

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  if (!existsSync(integrationBundle)) {
    throw new Error(`${integrationBundle} is missing: run node scripts/build-tests.mjs (npm run test:vscode does)`);
  }
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run npm run build');

  let t = Date.now();
  ensureCodeServer();
  console.error(`test:vscode: code-server installed (or cached) in ${seconds(t)}`);
  t = Date.now();
  const fixtures = packFixtureExtensions();
  console.error(`test:vscode: fixture extensions packed in ${seconds(t)}`);
  t = Date.now();
  const server = await startCodeServer({
    label: 'vscode-integration',
    vsix: fixtures,
    env: {
      ...(process.env.VITALS_TEST_GREP ? { VITALS_TEST_GREP: process.env.VITALS_TEST_GREP } : {}),
      ...(process.env.VITALS_TEST_TIMEOUT_MS ? { VITALS_TEST_TIMEOUT_MS: process.env.VITALS_TEST_TIMEOUT_MS } : {}),
      VITALS_TEST_COLOR: process.stdout.isTTY ? '1' : '0',
      VITALS_TEST_LOG_MARK: LOG_MARK,
    },
  });
  console.error(`test:vscode: code-server ready on ${server.origin} in ${seconds(t)}`);

  t = Date.now();
  const browser = await launchChromium();
  const page = await browser.newPage();
  let settle: (o: Outcome) => void = () => {};
  const outcome = new Promise<Outcome>((r) => (settle = r));

  // The workbench forwards its log, which includes the extension host's console, to this hook.
  // Lines the suite marked (see test/integration/index.ts) are the test output; the rest is
  // workbench chatter, kept in a file (and shown with VITALS_TEST_VERBOSE=1).
  mkdirSync(join(testResultsDir, 'vscode-integration'), { recursive: true });
  const consoleLog = join(testResultsDir, 'vscode-integration', 'workbench-console.log');
  writeFileSync(consoleLog, '');
  const verbose = process.env.VITALS_TEST_VERBOSE === '1';
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    appendFileSync(consoleLog, `[${type}] ${text}\n`);
    const marked = text.startsWith(LOG_MARK);
    if (!marked && !verbose) return;
    const line = marked ? text.slice(LOG_MARK.length) : text;
    if (type === 'error' || type === 'warn') process.stderr.write(`${line}\n`);
    else process.stdout.write(`${line}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => settle({ kind: 'exit', code }));
  page.on('crash', () => settle({ kind: 'crash', reason: 'the workbench page crashed' }));
  page.on('close', () => settle({ kind: 'crash', reason: 'the workbench page closed' }));
  const timer = setTimeout(() => settle({ kind: 'timeout' }), suiteTimeoutMs);

  const url = server.workbenchUrl([
    ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
    ['extensionTestsPath', server.remoteUri(integrationBundle)],
  ]);
  await page.goto(url);
  const result = await outcome;
  clearTimeout(timer);
  console.error(`test:vscode: suite finished in ${seconds(t)}`);

  let code: number;
  if (result.kind === 'exit') {
    code = result.code;
  } else {
    code = 1;
    console.error(
      result.kind === 'timeout'
        ? `test:vscode: FAILED: the suite did not report back within ${suiteTimeoutMs / 1000} s`
        : `test:vscode: FAILED: ${result.reason} before the suite reported`,
    );
  }
  if (code !== 0) {
    mkdirSync(testResultsDir, { recursive: true });
    const shot = join(testResultsDir, 'vscode-integration-failure.png');
    await page.screenshot({ path: shot }).then(
      () => console.error(`test:vscode: screenshot: ${shot}`),
      () => undefined,
    );
  }
  const exthostLogs = server.logFiles().filter((f) => /exthost/i.test(f));
  await server.stop();
  if (code !== 0) {
    console.error(`test:vscode: exit code ${code}; logs in ${server.logsDir}`);
    console.error(`  workbench console: ${consoleLog}`);
    for (const f of exthostLogs) console.error(`  extension host log: ${copiedLogPath(server, f)}`);
  }
  return code;
}

main().then(
  (code) => exitAfterCleanup(code),
  (err: unknown) => {
    if (isExiting()) return;
    console.error(`test:vscode: FAILED: ${errorDetail(err)}`);
    return exitAfterCleanup(1);
  },
);
