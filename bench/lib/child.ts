// Each measurement runs in a fresh Node process of its own (this same bundle with `--child <name>`),
// so one measurement's heap, open files and CPU time never leak into another's. The child sends
// its result back over the IPC channel.
import { fork } from 'node:child_process';
import { onCleanup } from './cleanup';
import { errorDetail } from '../../src/shared/errors';

export function runChild<R>(
  name: string,
  params: unknown,
  options: { timeoutMs?: number; execArgv?: string[]; script?: string } = {},
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const child = fork(options.script ?? __filename, ['--child', name, JSON.stringify(params)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: options.execArgv ?? [],
    });
    const unregister = onCleanup(() => child.kill('SIGKILL'));
    let result: { ok: true; value: R } | { ok: false; error: string } | undefined;
    const timer = setTimeout(() => {
      result ??= { ok: false, error: `${name} took longer than ${options.timeoutMs} ms` };
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 3_600_000);
    child.on('message', (m) => {
      result = m as typeof result;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      unregister();
      if (result?.ok) resolve(result.value);
      else reject(new Error(result && !result.ok ? result.error : `${name} exited with ${signal ?? code} and no result`));
    });
  });
}

/** The child's side: runs the named job and posts what it returned (or why it failed). */
export async function serveChild(jobs: Record<string, (params: never) => Promise<unknown>>, name: string, params: unknown): Promise<void> {
  const job = jobs[name];
  let msg: unknown;
  try {
    if (!job) throw new Error(`no such benchmark job: ${name}`);
    msg = { ok: true, value: await job(params as never) };
  } catch (e) {
    msg = { ok: false, error: errorDetail(e) };
  }
  // Exit once the message is out: a job may leave handles (timers, workers) behind.
  process.send?.(msg, () => process.exit(0));
}
