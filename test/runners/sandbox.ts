// npm run sandbox — the packaged Vitals in a fresh code-server on 127.0.0.1, to try by hand in a
// browser. Runs until Ctrl-C, then stops the whole server process group.
//
// Usage: npm run sandbox [-- <folder to open>]   (default: this repository)
// Environment: VITALS_SANDBOX_PORT (default: a free port).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { exitAfterCleanup, exitCodeOnSignal } from './cleanup';
import { startCodeServer } from './codeServer';
import { repoRoot } from './paths';
import { errorText } from '../../src/shared/errors';

async function main(): Promise<void> {
  const vsix = resolve(repoRoot, 'vitals.vsix');
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package (npm run sandbox does)`);
  const workspace = resolve(process.argv[2] ?? repoRoot);
  const port = process.env.VITALS_SANDBOX_PORT ? Number(process.env.VITALS_SANDBOX_PORT) : undefined;
  exitCodeOnSignal(0);
  const server = await startCodeServer({ label: 'sandbox', vsix: [vsix], workspace, ...(port ? { port } : {}) });
  console.log(`\nVitals sandbox: ${server.workbenchUrl()}`);
  console.log(`  code-server ${server.origin}, user data ${server.userDataDir}`);
  console.log('  Ctrl-C stops it (logs are kept in test-results/sandbox/logs).\n');
  // Nothing else to do: the signal handler stops the server and exits.
  await new Promise<never>(() => setInterval(() => {}, 1 << 30));
}

main().catch((err: unknown) => {
  console.error(`sandbox: FAILED: ${errorText(err)}`);
  return exitAfterCleanup(1);
});
