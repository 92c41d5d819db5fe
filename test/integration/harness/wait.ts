// Bounded waiting for things the extension does asynchronously. These bound a wait so a broken
// feature fails the test instead of hanging it; they never assert how fast something happened.
import * as vscode from 'vscode';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  { timeoutMs = 20_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== (false as unknown)) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

// executeCommand that cannot hang the suite. A command whose promise waits on an un-clicked
// showInformationMessage never resolves: commands should show messages without awaiting them.
export async function executeCommandWithin<T>(timeoutMs: number, command: string, ...args: unknown[]): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`command ${command} did not finish within ${timeoutMs} ms (does it await a notification?)`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve(vscode.commands.executeCommand<T>(command, ...args)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
