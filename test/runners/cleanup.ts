import { errorText } from '../../src/shared/errors';
// One place that knows what a runner must tear down (servers, browsers, temp folders), so it is
// torn down on every way out: normal end, thrown error, Ctrl-C, SIGTERM from CI.
//
// The registry lives on globalThis: each e2e test file is its own bundle with its own copy of this
// module, and they must all share one list and one set of signal handlers with the runner.
type Teardown = {
  name: string;
  // Graceful, may be slow (close the browser, wait for the process group to go).
  run: () => Promise<void>;
  // Last resort from process.on('exit'), where only synchronous work still happens.
  runSync?: () => void;
};

type Registry = { teardowns: Teardown[]; installed: boolean; exiting: boolean; signalExitCode: number | undefined };

const key = Symbol.for('vitals.test.cleanup');
const registry: Registry = ((globalThis as Record<symbol, unknown>)[key] as Registry | undefined) ?? {
  teardowns: [],
  installed: false,
  exiting: false,
  signalExitCode: undefined,
};
(globalThis as Record<symbol, unknown>)[key] = registry;

export function onCleanup(name: string, run: () => Promise<void>, runSync?: () => void): () => void {
  installHandlers();
  const t: Teardown = runSync ? { name, run, runSync } : { name, run };
  registry.teardowns.push(t);
  return () => {
    const i = registry.teardowns.indexOf(t);
    if (i >= 0) registry.teardowns.splice(i, 1);
  };
}

// Newest first, like a stack of `finally` blocks; one failing teardown does not stop the others.
export async function cleanupAll(): Promise<void> {
  while (registry.teardowns.length > 0) {
    const t = registry.teardowns.pop()!;
    try {
      await t.run();
    } catch (err) {
      console.error(`cleanup: ${t.name} failed: ${errorText(err)}`);
    }
  }
}

// Runs the cleanup, then exits with `code`. Every runner's main ends here.
export async function exitAfterCleanup(code: number): Promise<never> {
  registry.exiting = true;
  await cleanupAll();
  process.exit(code);
}

// True once a signal (or the end of main) started the teardown: errors from work it interrupted
// (a page closed under a pending goto) are expected then, not worth reporting.
export const isExiting = (): boolean => registry.exiting;

// For a program whose normal end is Ctrl-C (the sandbox): exit with this code on a signal.
export function exitCodeOnSignal(code: number): void {
  registry.signalExitCode = code;
}

function installHandlers(): void {
  if (registry.installed) return;
  registry.installed = true;
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    process.on(signal, () => {
      const exitCode = registry.signalExitCode ?? code;
      if (registry.exiting) {
        // A second Ctrl-C while cleaning up: stop waiting, the exit hook still kills the groups.
        process.exit(exitCode);
      }
      console.error(`\n${signal}: stopping code-server and the browser...`);
      void exitAfterCleanup(exitCode);
    });
  };
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  onSignal('SIGHUP', 129);
  process.on('exit', () => {
    for (const t of registry.teardowns.splice(0).reverse()) {
      try {
        t.runSync?.();
      } catch {
        // Nothing more can be done while exiting.
      }
    }
  });
}
