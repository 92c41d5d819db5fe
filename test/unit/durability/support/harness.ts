// Shared by the durability tests: synthetic samplers (the storage paths under test do not depend on
// what /proc says, and a test must control time), a controllable clock, a sink that records what
// the backend reported, temp folders, and a bundler for the fixture programs run as real processes.
import { build } from 'esbuild';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendSink } from '../../../../src/backend/service';
import type { BackendStatus } from '../../../../src/backend/protocol';
import type { Samplers } from '../../../../src/backend/sampling';
import { loadSqlJs } from '../../../../src/backend/storage/sqljs';
import type { Snapshot } from '../../../../src/backend/types';
import { processesAt, systemAt } from '../../../support/synthetic';

export interface ManualClock {
  now(): number;
  set(t: number): void;
  advance(ms: number): void;
}

export function manualClock(start: number): ManualClock {
  let t = start;
  return { now: () => t, set: (v) => (t = v), advance: (ms) => (t += ms) };
}

export interface CountingSamplers extends Samplers {
  calls: number;
}

/** Samplers that produce the synthetic machine of test/support at whatever time they are asked. */
export function syntheticSamplers(processes = 20): CountingSamplers {
  const s: CountingSamplers = {
    calls: 0,
    kind: 'procfs',
    system: {
      sample: (t) => {
        s.calls++;
        return Promise.resolve(systemAt(t));
      },
      dispose: () => undefined,
    },
    processes: {
      sample: (t) => Promise.resolve(processesAt(t, 2000, { processes })),
      setCommandLineMode: () => undefined,
      dispose: () => undefined,
    },
  };
  return s;
}

export const INFO = { hostname: 'test', platform: 'linux', os: 'Linux', cpuModel: 'test', cpuCount: 2, totalMemBytes: 16e9 };

export interface RecordingSink extends BackendSink {
  snapshots: Snapshot[];
  statuses: BackendStatus[];
  problems: { key: string; message: string; severity: string }[];
  logs: { level: string; message: string }[];
}

export function recordingSink(): RecordingSink {
  const sink: RecordingSink = {
    snapshots: [],
    statuses: [],
    problems: [],
    logs: [],
    snapshot: (s) => sink.snapshots.push(s),
    status: (s) => sink.statuses.push(s),
    log: (level, message) => sink.logs.push({ level, message }),
    problem: (key, message, severity) => sink.problems.push({ key, message, severity }),
  };
  return sink;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `vitals-${prefix}-`));
}

export async function waitFor(pred: () => boolean, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `PRAGMA integrity_check` of the file as it is on disk (not of a copy repaired in memory). */
export async function integrityOf(path: string): Promise<string> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(path));
  try {
    return String(db.exec('PRAGMA integrity_check')[0]?.values[0]?.[0]);
  } finally {
    db.close();
  }
}

/** Bundles a fixture program (with sql.js's wasm beside it) into `dir`; returns the script path. */
export function bundleFixture(name: string, dir: string): Promise<string> {
  return bundle(join(__dirname, '..', 'fixtures', `${name}.ts`), name, dir);
}

/** Bundles the CLI as it ships (dist/cli.js) into `dir`. */
export function bundleCli(dir: string): Promise<string> {
  return bundle(join(__dirname, '../../../../src/cli/main.ts'), 'cli', dir);
}

async function bundle(entry: string, name: string, dir: string): Promise<string> {
  const out = join(dir, `${name}.js`);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'error',
  });
  copyFileSync(join(__dirname, '../../../../node_modules/sql.js/dist/sql-wasm.wasm'), join(dir, 'sql-wasm.wasm'));
  return out;
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** Whether this process may mount a tmpfs (root on Linux): the full- and read-only-disk tests need it. */
export function canMount(): boolean {
  if (process.getuid?.() !== 0 || process.platform !== 'linux') return false;
  const probe = tempDir('mount-probe');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    removeDir(probe);
  }
}
