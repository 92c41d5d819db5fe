// npm run test:electron — the same integration suite (out/test/integration/index.js) in the Electron
// VS Code that @vscode/test-electron downloads, for machines that can reach VS Code's download
// site. This machine and CI cannot (they reach only the npm and Debian registries): there, use
// npm run test:vscode, which runs the suite in code-server from npm.
//
// Environment: VITALS_VSCODE_VERSION (default "stable"; e.g. "1.100.3" for the oldest supported),
// VITALS_TEST_GREP, VITALS_TEST_TIMEOUT_MS. On Linux without a display: xvfb-run -a npm run test:electron
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { integrationBundle, repoRoot } from './paths';
import { errorText } from '../../src/shared/errors';

async function main(): Promise<number> {
  if (!existsSync(integrationBundle)) throw new Error(`${integrationBundle} is missing: run node scripts/build-tests.mjs`);
  const version = process.env.VITALS_VSCODE_VERSION ?? 'stable';

  let vscodeExecutablePath: string;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: join(repoRoot, '.vscode-test') });
  } catch (err) {
    console.error(
      `test:electron: could not download VS Code ${version}: ${errorText(err)}\n` +
        `test:electron: @vscode/test-electron downloads VS Code from update.code.visualstudio.com, which this ` +
        `machine cannot reach (only the npm and Debian registries are reachable), so this failure is expected ` +
        `here and in CI. Run the same suite in a real VS Code from npm instead: npm run test:vscode`,
    );
    return 1;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.error('test:electron: no DISPLAY; Electron needs one. Try: xvfb-run -a npm run test:electron');
  }

  const workspace = mkdtempSync(join(tmpdir(), 'vitals-electron-ws-'));
  try {
    const extensionTestsEnv: Record<string, string> = {};
    if (process.env.VITALS_TEST_GREP) extensionTestsEnv.VITALS_TEST_GREP = process.env.VITALS_TEST_GREP;
    if (process.env.VITALS_TEST_TIMEOUT_MS) extensionTestsEnv.VITALS_TEST_TIMEOUT_MS = process.env.VITALS_TEST_TIMEOUT_MS;
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: integrationBundle,
      extensionTestsEnv,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
    return 0;
  } catch (err) {
    console.error(`test:electron: FAILED: ${errorText(err)}`);
    return 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`test:electron: FAILED: ${errorText(err)}`);
    process.exit(1);
  },
);
