// What a user's `top` says the shipped recorder costs: the production `cli.js record` (built as the
// package builds it) started as its own process on a fresh database, at the default 2 s interval,
// and beside it in the same run, as their own processes, the peers: a systeminformation-based
// monitor (bench/siMonitor.ts: what the popular VS Code monitors poll every 2 s) and `top -b -d 2`.
// Every process is measured from outside: CPU from /proc/<pid>/stat (utime + stime of all its
// threads, plus the children it waited for) per window of wall time from its start, RSS and peak
// RSS from /proc/<pid>/status. The first windows (V8 compiling, sql.js's WebAssembly tiering up,
// the first reads of every process's files) are reported apart and counted in the averages.
// A second recorder on its own database runs the fallback samplers (VITALS_SAMPLER=fallback: the
// systeminformation ones macOS and Windows get), where the cost governor has to act.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journalPathFor } from '../../src/backend/storage/store';
import { onCleanup } from '../lib/cleanup';
import { peakRssBytes, processCount, processCpuUs, rssBytes } from '../lib/cpu';

export interface ShippedParams {
  cliPath: string;
  siMonitorPath: string;
  windowMs: number;
  windows: number;
  /** Windows that count as "the start" (reported apart from the steady state). */
  startWindows: number;
  intervalS: number;
  /** Also run a recorder with VITALS_SAMPLER=fallback (its governor at the default budget). */
  fallback: boolean;
}

export interface ProcessFigures {
  /** CPU % of one core in each window since the process started. */
  cpuPercent: number[];
  /** RSS at the end of each window. */
  rssBytes: number[];
  peakRssBytes: number;
  /** Set when the process ended before the measurement did. */
  exited?: string;
}

export interface ShippedResult {
  windowMs: number;
  startWindows: number;
  processes: number;
  recorder: ProcessFigures;
  si: ProcessFigures;
  top: ProcessFigures;
  /** The recorder with the fallback samplers, and its last summary line that named the governor. */
  fallback?: ProcessFigures & { governed: string | null };
  /** Database file + journal at the end. */
  dbBytes: number;
  /** What the recorder wrote on stderr (warnings, errors). */
  problems: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Watched {
  child: ChildProcess;
  pid: number;
  children: boolean;
  lastUs: number;
  figures: ProcessFigures;
}

interface Output {
  stderr?: string[];
  onStdout?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

function start(command: string, args: string[], children: boolean, out: Output = {}): Watched {
  const { stderr, onStdout, env } = out;
  const child = spawn(command, args, {
    stdio: ['ignore', onStdout ? 'pipe' : 'ignore', stderr ? 'pipe' : 'ignore'],
    ...(env ? { env } : {}),
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const w: Watched = { child, pid: child.pid, children, lastUs: 0, figures: { cpuPercent: [], rssBytes: [], peakRssBytes: NaN } };
  child.stderr?.setEncoding('utf8').on('data', (d: string) => stderr?.push(...d.split('\n').filter(Boolean)));
  child.stdout?.setEncoding('utf8').on('data', (d: string) =>
    d
      .split('\n')
      .filter(Boolean)
      .forEach((l) => onStdout?.(l)),
  );
  child.on('exit', (code, signal) => (w.figures.exited ??= `exited with ${signal ?? code}`));
  return w;
}

export async function shippedRecorder(p: ShippedParams): Promise<ShippedResult> {
  for (const f of [p.cliPath, p.siMonitorPath]) if (!existsSync(f)) throw new Error(`${f} is missing: run bench/build.mjs`);
  const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-shipped-'));
  const dbPath = join(dir, 'vitals.sqlite');
  const problems: string[] = [];
  const node = process.execPath;
  const watched: Watched[] = [];
  const unregister = onCleanup(() => {
    for (const w of watched) w.child.kill('SIGKILL');
  });
  try {
    // Started together so the machine's drifting load hits all three alike; each window starts
    // from the process's own start (its CPU before that is zero).
    const t0 = performance.now();
    const record = (db: string): string[] => [p.cliPath, 'record', '--db', db, '--interval', String(p.intervalS)];
    const recorder = start(node, record(dbPath), false, { stderr: problems });
    const si = start(node, [p.siMonitorPath, String(p.intervalS * 1000)], true);
    const top = start('top', ['-b', '-d', String(p.intervalS)], true);
    watched.push(recorder, si, top);
    // systeminformation's helpers (ps) are its children: counted, as they are for the peer.
    let governed: string | null = null;
    const fallback = p.fallback
      ? start(node, record(join(dir, 'fallback.sqlite')), true, {
          stderr: problems,
          env: { ...process.env, VITALS_SAMPLER: 'fallback' },
          // Every summary line says the governor's state: named while it stretches, absent when not.
          onStdout: (l) => {
            if (/ \d+ procs /.test(l)) governed = /(system every \S+ \S+ +)?procs every .*\(governor\)/.exec(l)?.[0] ?? null;
          },
        })
      : undefined;
    if (fallback) watched.push(fallback);
    const processes = processCount();
    let last: number | undefined;
    for (let i = 1; i <= p.windows; i++) {
      await sleep(t0 + i * p.windowMs - performance.now());
      // Each window is measured against the wall time it really took (timers run late under load).
      const wallMs = performance.now() - (last ?? t0);
      last = performance.now();
      for (const w of watched) {
        const us = processCpuUs(w.pid, w.children);
        w.figures.cpuPercent.push(((us - w.lastUs) / 1000 / wallMs) * 100);
        w.lastUs = us;
        w.figures.rssBytes.push(rssBytes(w.pid));
        w.figures.peakRssBytes = peakRssBytes(w.pid);
      }
    }
    const early = { recorder: recorder.figures.exited, si: si.figures.exited, top: top.figures.exited, fallback: fallback?.figures.exited };
    // Stop the recorder as a user would (Ctrl-C) and let it close its file.
    recorder.child.kill('SIGINT');
    fallback?.child.kill('SIGKILL');
    si.child.kill('SIGKILL');
    top.child.kill('SIGKILL');
    const deadline = Date.now() + 30_000;
    while (recorder.child.exitCode === null && recorder.child.signalCode === null && Date.now() < deadline) await sleep(100);
    const size = (f: string): number => (existsSync(f) ? statSync(f).size : 0);
    return {
      windowMs: p.windowMs,
      startWindows: p.startWindows,
      processes,
      recorder: { ...recorder.figures, exited: early.recorder },
      si: { ...si.figures, exited: early.si },
      top: { ...top.figures, exited: early.top },
      ...(fallback ? { fallback: { ...fallback.figures, exited: early.fallback, governed } } : {}),
      dbBytes: size(dbPath) + size(journalPathFor(dbPath)),
      problems,
    };
  } finally {
    for (const w of watched) w.child.kill('SIGKILL');
    unregister();
    rmSync(dir, { recursive: true, force: true });
  }
}
