// A real child process of the extension host for the Processes view to find: an idle Node that
// carries a unique marker on its command line, so a filter can pick out exactly this one.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';

export interface MarkedChild {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Unique to this child; on its command line after `--`. */
  readonly marker: string;
  /** Resolves when it has exited, with the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills it (if still running) and waits for it to be reaped. */
  stop(): Promise<void>;
}

export async function spawnMarkedChild(): Promise<MarkedChild> {
  // Letters only: a long run of hex digits could look like a token to the command-line redaction.
  const marker = `vitals-itest-marker-${randomBytes(6)
    .toString('base64')
    .replace(/[^a-z]/gi, '')
    .toLowerCase()}`;
  const child = spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)', '--', marker], {
    stdio: 'ignore',
    // In an Electron VS Code (test-electron) execPath is Electron: this makes it behave as Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await Promise.race([once(child, 'spawn'), once(child, 'error').then(([err]) => Promise.reject(err as Error))]);
  const pid = child.pid;
  if (pid === undefined) throw new Error('the child process has no pid');
  return {
    child,
    pid,
    marker,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
