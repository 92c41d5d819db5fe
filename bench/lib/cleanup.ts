// Whatever the benchmark starts (the process load, measuring children) is stopped however it ends:
// normal exit, SIGINT/SIGTERM/SIGHUP, or an uncaught exception.
const actions = new Set<() => void>();
let hooked = false;

function runAll(): void {
  for (const a of [...actions]) {
    actions.delete(a);
    try {
      a();
    } catch {
      // keep cleaning up the rest
    }
  }
}

/** Registers a synchronous cleanup; returns a function that unregisters it. */
export function onCleanup(action: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', runAll);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
      process.on(sig, () => {
        console.error(`\n${sig}: stopping the load and every measuring process…`);
        runAll();
        process.exit(sig === 'SIGINT' ? 130 : 143);
      });
    process.on('uncaughtException', (e) => {
      runAll();
      console.error(e);
      process.exit(1);
    });
    process.on('unhandledRejection', (e) => {
      runAll();
      console.error(e);
      process.exit(1);
    });
  }
  actions.add(action);
  return () => actions.delete(action);
}
