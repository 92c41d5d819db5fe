// The logging surface every extension module uses (a vscode.LogOutputChannel in production, a
// recorder in tests), and the one way to start work nobody awaits without leaking a rejection.

import type * as vscode from 'vscode';

export type Logger = Pick<vscode.LogOutputChannel, 'trace' | 'debug' | 'info' | 'warn' | 'error'>;

/** Runs a promise nobody awaits; a failure is logged with what it was, never left unhandled. */
export function background(work: Thenable<unknown>, log: Logger, what: string): void {
  Promise.resolve(work).catch((err: unknown) => log.error(`${what} failed:`, err));
}
