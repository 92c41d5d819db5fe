// The running Vitals extension as the integration tests reach it: the test handle activate()
// returns, its snapshots, its log file and its settings. Everything here observes the real
// extension in the real extension host; nothing is replaced.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Snapshot } from '../../../src/backend';
import type { VitalsTestApi } from '../../../src/extension/main';
import { EXTENSION_ID, activateVitals } from '../harness/extension';
import { waitFor } from '../harness/wait';

export type { VitalsTestApi };

/** The extension's test handle, after checking that activate() really returned one. */
export async function vitals(): Promise<VitalsTestApi> {
  const ext = await activateVitals();
  const api: unknown = ext.exports;
  const missing = ['backend', 'processes', 'system', 'statusBar', 'settings', 'backendRestarts'].filter(
    (k) => typeof api !== 'object' || api === null || !(k in api),
  );
  assert.deepEqual(missing, [], `activate() of ${EXTENSION_ID} did not return the test handle`);
  return api as VitalsTestApi;
}

/** Resolves with the next snapshot the backend pushes that satisfies `accept`. */
export function nextSnapshot(
  api: VitalsTestApi,
  what: string,
  accept: (s: Snapshot) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<Snapshot> {
  return new Promise<Snapshot>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for a snapshot: ${what}`));
    }, timeoutMs);
    const sub = api.backend.onSnapshot((s) => {
      if (!accept(s)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(s);
    });
  });
}

/** The latest snapshot, waiting for the first one if none has arrived yet. */
export async function latestSnapshot(api: VitalsTestApi, timeoutMs = 60_000): Promise<Snapshot> {
  return api.backend.lastSnapshot ?? nextSnapshot(api, 'the first sample', () => true, timeoutMs);
}

/** Waits for `n` more snapshots (so the recorder has something new to show). */
export async function samples(api: VitalsTestApi, n: number, timeoutMs = 60_000): Promise<Snapshot> {
  let seen = 0;
  return nextSnapshot(api, `${n} new samples`, () => ++seen >= n, timeoutMs);
}

// ---------------------------------------------------------------------------------------------
// The "Vitals" log (a LogOutputChannel): VS Code writes it to <logs>/<session>/…/vitals-dev.vitals/
// Vitals.log. The logs folder sits in the user-data folder, which also holds the extension's
// globalStorage, where the database lives: <userData>/User/globalStorage/<id>/vitals.sqlite.

function databasePath(api: VitalsTestApi): string {
  const p = api.backend.lastStatus?.databasePath;
  assert.ok(p, 'the backend has not reported its database path yet');
  return p;
}

function findFiles(dir: string, name: string, parent: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => f.endsWith(`/${parent}/${name}`) || f.endsWith(`\\${parent}\\${name}`));
}

/** This window's Vitals log file: the newest one under the user-data folder's logs. */
export function vitalsLogFile(api: VitalsTestApi): string {
  let dir = dirname(databasePath(api));
  for (;;) {
    const logs = join(dir, 'logs');
    const found = findFiles(logs, 'Vitals.log', EXTENSION_ID.toLowerCase()).concat(findFiles(logs, 'Vitals.log', EXTENSION_ID));
    if (found.length > 0) return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]!;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no ${EXTENSION_ID}/Vitals.log in a logs folder above ${databasePath(api)}`);
    dir = up;
  }
}

export interface LogEntry {
  level: string;
  text: string;
}

/** The log's entries; a line without a `[level]` prefix continues the entry above it (stacks). */
export function readVitalsLog(api: VitalsTestApi): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of readFileSync(vitalsLogFile(api), 'utf8').split('\n')) {
    const m = /^\d{4}-\d{2}-\d{2} [\d:.]+ \[(\w+)\] ?(.*)$/.exec(line);
    if (m) entries.push({ level: m[1]!, text: m[2]! });
    else if (entries.length > 0 && line !== '') entries[entries.length - 1]!.text += `\n${line}`;
  }
  return entries;
}

export function logErrors(api: VitalsTestApi): LogEntry[] {
  return readVitalsLog(api).filter((e) => e.level === 'error');
}

/** Waits until the log holds an entry at `level` whose text satisfies `match` (the file lags a little). */
export function waitForLogEntry(api: VitalsTestApi, level: string, match: (text: string) => boolean, what: string): Promise<LogEntry> {
  return waitFor(() => readVitalsLog(api).find((e) => e.level === level && match(e.text)), `a [${level}] log entry: ${what}`, {
    timeoutMs: 30_000,
    intervalMs: 250,
  });
}

// ---------------------------------------------------------------------------------------------
// Settings: written to the user settings like a user would, and put back afterwards.

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('vitals').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Removes every `vitals.*` user setting a test wrote. */
export async function resetSettings(keys: readonly string[]): Promise<void> {
  const config = vscode.workspace.getConfiguration('vitals');
  for (const key of keys) {
    if (config.inspect(key)?.globalValue !== undefined) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  }
}

// ---------------------------------------------------------------------------------------------
// The UI a test may leave behind.

/** Closes any quick pick or input box (harmless when none is open). */
export async function closeQuickInput(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
}

export function dashboardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('vitals.dashboard'));
}

export async function closeDashboard(): Promise<void> {
  const tabs = dashboardTabs();
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
