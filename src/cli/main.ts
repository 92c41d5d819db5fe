// The headless Vitals CLI (dist/cli.js, the `vitals` bin): record with a live summary, report
// storage health, export history, back up and restore. Same backend as the extension's worker.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Monitor } from '../backend/monitor';
import { RecorderBusyError } from '../backend/recorder/lockAccess';
import { defaultMonitorConfig, SETTINGS } from '../backend/config';
import { healthReport } from '../backend/queries/health';
import { exportHistory } from '../backend/queries/export';
import { InvalidBackupError } from '../backend/storage/backup';
import { journalPathFor, NewerSchemaError, NotVitalsError, type Store } from '../backend/storage/store';
import type { HealthReport, Snapshot } from '../backend/types';
import { parseCommandLine, parseDate, parseFormat, parseNumber, parseScope, USAGE, UsageError } from './args';
import { defaultDatabasePath } from './paths';
import { healthText } from '../shared/healthText';
import { summaryLine } from './present';
import { recorderHealth } from './recorderFeed';
import { formatDateTime } from '../shared/format';
import { errorText, VitalsError } from '../shared/errors';
import { formatListenAddress, MetricsConfigError, parseListenAddress } from '../backend/metrics-endpoint/address';
import { MetricsEndpoint } from '../backend/metrics-endpoint/endpoint';
import { MetricsListenError } from '../backend/metrics-endpoint/server';
import { version } from '../../package.json';
import { backupCommand, backupsCommand, openReadOnly, requireDatabase, restoreCommand } from './backupCommands';
import { alertLine, eventsCommand, parseAt, readConfigFile, topCommand } from './alertCommands';

type Values = Record<string, string | boolean | undefined>;
const str = (v: Values, k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);

function dbPath(values: Values): string {
  const path = resolve(str(values, 'db') ?? defaultDatabasePath());
  // Reading a FIFO (or a device) as the database would block forever: refuse it before opening.
  for (const p of [path, journalPathFor(path)]) {
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (!st.isFile())
      throw new Error(`${p} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}; --db must name a history database file.`);
  }
  return path;
}

/** The endpoint `record` was asked for, bound and ready; undefined when no --metrics-* option was given. */
async function startMetrics(values: Values): Promise<MetricsEndpoint | undefined> {
  const listen = str(values, 'metrics-listen');
  const textfile = str(values, 'metrics-textfile');
  const tokenFile = str(values, 'metrics-token-file');
  const groups = parseNumber('metrics-groups', str(values, 'metrics-groups'), 1, 500) ?? 10;
  if (listen === undefined && textfile === undefined) {
    for (const flag of ['metrics-token-file', 'metrics-groups'])
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --metrics-listen or --metrics-textfile`);
    return undefined;
  }
  if (!Number.isInteger(groups)) throw new UsageError(`--metrics-groups must be an integer, got ${groups}`);
  try {
    return await MetricsEndpoint.start({
      listen: listen === undefined ? undefined : parseListenAddress(listen),
      tokenFile: tokenFile === undefined ? undefined : resolve(tokenFile),
      textfile: textfile === undefined ? undefined : resolve(textfile),
      topGroups: groups,
      build: { version, platform: process.platform },
      warn: (message) => process.stderr.write(`\nvitals: ${message}\n`),
    });
  } catch (e) {
    // An address that cannot be used, a token file that cannot be read, a port in use: a usage
    // mistake the user fixes on the command line (exit 2), said in one line.
    if (e instanceof MetricsConfigError || e instanceof MetricsListenError) throw new UsageError(e.message);
    throw e;
  }
}

async function record(values: Values): Promise<number> {
  const interval = parseNumber('interval', str(values, 'interval'), 0.5, 3600) ?? 2;
  const duration = parseNumber('duration', str(values, 'duration'), 1, 366 * 24 * 3600);
  const path = dbPath(values);
  // Bound before the database is opened: a port in use ends the command before anything is recorded.
  const metrics = await startMetrics(values);
  if (metrics?.address) process.stdout.write(`Serving metrics at http://${formatListenAddress(metrics.address)}/metrics\n`);
  try {
    return await recordInto(values, path, interval, duration, metrics);
  } finally {
    await metrics?.close();
  }
}

async function recordInto(
  values: Values,
  path: string,
  interval: number,
  duration: number | undefined,
  metrics: MetricsEndpoint | undefined,
): Promise<number> {
  const configFile = str(values, 'config');
  const settings = configFile
    ? readConfigFile(resolve(configFile), (line) =>
        process.stderr.write(`vitals: ${line}
`),
      ).monitor
    : undefined;
  // The setting's own range (src/backend/config.ts): the CLI refuses what the extension would clamp.
  const budget = SETTINGS['governor.maxCpuPercent'];
  const maxCpu = parseNumber('max-cpu', str(values, 'max-cpu'), budget.minimum, budget.maximum);
  const config = defaultMonitorConfig({
    ...settings,
    // --interval (default 2 s) and --max-cpu win over the --config file's settings only when given.
    ...(settings && str(values, 'interval') === undefined
      ? {}
      : { sampleIntervalMs: Math.round(interval * 1000), flushIntervalMs: Math.round(interval * 1000) }),
    ...(settings && maxCpu === undefined ? {} : { governorMaxCpuPercent: maxCpu ?? budget.default }),
  });
  const tty = process.stdout.isTTY === true;
  const wait = values.wait === true;
  let lastPrinted = 0;
  let monitor: Monitor | undefined;
  let recording = false;
  let becameRecorder: (() => void) | undefined;
  /** The newest interval recorded (in memory), and the last write problem: what `Stopped.` must check. */
  let lastRecorded = 0;
  let lastFailure: string | undefined;
  const onSnapshot = (s: Snapshot): void => {
    if (!monitor || !recording) return;
    lastRecorded = s.t;
    metrics?.publish(s, monitor.selfFigures());
    // The line (and the health report in it) is built only when it is printed.
    if (tty) process.stdout.write(`\r\x1b[2K${summaryLine(s, monitor.health())}`);
    else if (s.t - lastPrinted >= 10_000) {
      // Piped output (logs, CI): one line every 10 s instead of a redraw per sample.
      process.stdout.write(`${summaryLine(s, monitor.health())}\n`);
      lastPrinted = s.t;
    }
  };
  monitor = await Monitor.open({
    dbPath: path,
    config,
    foreign: 'refuse',
    whenLocked: wait ? 'view' : 'refuse',
    sink: {
      snapshot: onSnapshot,
      status: (s) => {
        recording = s.role === 'recorder';
        if (recording) becameRecorder?.();
      },
      log: (level, message) => {
        if (level === 'warn' || level === 'error') {
          lastFailure = message;
          process.stderr.write(`${tty ? '\n' : ''}vitals: ${message}\n`);
        }
      },
      alert: (change) => process.stdout.write(`${tty ? '\r\x1b[2K' : ''}${alertLine(change)}\n`),
      problem: (key, message) => {
        // A refusal ends the command with this same message: say it once.
        if (key !== 'newer-schema') process.stderr.write(`${tty ? '\n' : ''}vitals: ${message}\n`);
      },
    },
  });
  let status = monitor.status();
  if (status.problem) {
    await monitor.close();
    // Not a usage mistake: the file cannot be recorded into (a newer schema). Exit 1.
    throw new Error(status.problem);
  }
  // The monitor's timers do not hold the process open (the worker must be able to exit): this does,
  // until Ctrl-C or the duration ends.
  const keepAlive = setInterval(() => undefined, 60_000);
  let interrupted = false;
  const stopped = new Promise<void>((done) => {
    const stop = (): void => {
      interrupted = true;
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  if (status.role === 'viewer') {
    const who = status.recorder ? `pid ${status.recorder.pid} on ${status.recorder.host}` : 'another process';
    process.stdout.write(`Waiting: ${path} is being recorded by ${who}; recording starts when it stops. Ctrl-C to give up.\n`);
    await Promise.race([stopped, new Promise<void>((r) => (becameRecorder = r))]);
    becameRecorder = undefined;
    status = monitor.status();
    if (interrupted || status.role !== 'recorder') {
      clearInterval(keepAlive);
      await monitor.close();
      process.stdout.write('Stopped waiting; nothing was recorded.\n');
      return 0;
    }
    if (status.problem) {
      clearInterval(keepAlive);
      await monitor.close();
      throw new Error(status.problem);
    }
  }
  recording = true;
  process.stdout.write(`Recording ${path} every ${interval} s${duration ? ` for ${duration} s` : ''}. Ctrl-C to stop.\n`);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([stopped, new Promise<void>((r) => duration && (timer = setTimeout(r, duration * 1000)))]);
  if (timer) clearTimeout(timer);
  clearInterval(keepAlive);
  await monitor.close();
  // The recorder keeps going when writes fail (they are retried; the samples wait in memory), so
  // only the file itself says whether what was recorded reached it.
  const onDisk = await fileAfterClose(path);
  if (lastRecorded > 0 && (onDisk.newest ?? 0) < lastRecorded) {
    // Each failure was printed as it happened (one line each); this line says what it cost.
    const reason = lastFailure !== undefined ? 'the errors above say why' : (onDisk.error ?? 'the last write did not complete');
    const lost =
      onDisk.newest === null ? 'none of the samples reached' : `the samples after ${formatDateTime(onDisk.newest)} did not reach`;
    process.stderr.write(`${tty ? '\n' : ''}vitals: recording failed: ${lost} ${path} (${reason}).\n`);
    return 1;
  }
  process.stdout.write(`${tty ? '\n' : ''}Stopped. ${onDisk.rows} rows in ${path}.\n`);
  return 0;
}

/** Rows and the newest sample in the file as it is on disk (journal included) once the recorder closed. */
async function fileAfterClose(path: string): Promise<{ rows: number; newest: number | null; error?: string }> {
  let store: Store;
  try {
    store = await openReadOnly(path);
  } catch (e) {
    return { rows: 0, newest: null, error: errorText(e) };
  }
  try {
    const report = healthReport(store, path, defaultMonitorConfig(), { role: 'stopped', recording: false });
    return { rows: Object.values(report.rowCounts).reduce((a, b) => a + b, 0), newest: report.newestSample };
  } finally {
    store.close();
  }
}

async function openForReading(values: Values): Promise<{ store: Store; path: string }> {
  const path = dbPath(values);
  requireDatabase(path);
  return { store: await openReadOnly(path), path };
}

async function health(values: Values): Promise<number> {
  const { store, path } = await openForReading(values);
  let report: HealthReport;
  try {
    // A live recorder knows what the file cannot say (its last flush, what it dropped, its cost).
    report =
      (await recorderHealth(path, (line) => process.stderr.write(`${line}\n`))) ??
      healthReport(store, path, defaultMonitorConfig(), { role: 'stopped', recording: false });
  } finally {
    store.close();
  }
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${healthText(report)}\n`);
  return 0;
}

async function exportCommand(values: Values): Promise<number> {
  const format = parseFormat(str(values, 'format'));
  const scope = parseScope(str(values, 'scope'), format);
  const from = parseDate('from', str(values, 'from')) ?? 0;
  const to = parseDate('to', str(values, 'to')) ?? Date.now() + 1;
  if (from >= to) throw new UsageError('--from must be before --to');
  const out = str(values, 'out');
  if (!out) throw new UsageError('--out FILE is required');
  const outPath = resolve(out);
  // Ctrl-C cancels: the export removes its temp file, and nothing appears under the final name.
  const abort = new AbortController();
  const cancel = (): void => abort.abort();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  try {
    const { store } = await openForReading(values);
    try {
      const r = await exportHistory(store, { from, to, format, scope, outPath }, defaultMonitorConfig().sampleIntervalMs, abort.signal);
      process.stdout.write(`Wrote ${r.rows} rows (${r.bytes} bytes) to ${r.outPath}\n`);
    } finally {
      store.close();
    }
  } catch (e) {
    if (!abort.signal.aborted) throw e;
    process.stderr.write(`vitals: export cancelled; nothing was written to ${outPath}.\n`);
    return 130;
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { command, values } = parseCommandLine(argv);
    switch (command) {
      case 'record':
        return await record(values);
      case 'health':
        return await health(values);
      case 'export':
        return await exportCommand(values);
      case 'events': {
        const from = parseDate('from', str(values, 'from')) ?? 0;
        const to = parseDate('to', str(values, 'to')) ?? Date.now() + 1;
        if (from > to) throw new UsageError('--from must be before --to');
        const { store } = await openForReading(values);
        try {
          return eventsCommand(store, from, to, values.json === true, (s) => process.stdout.write(s));
        } finally {
          store.close();
        }
      }
      case 'top': {
        const t = parseAt(str(values, 'at'), Date.now());
        const by = str(values, 'by') ?? 'cpu';
        if (by !== 'cpu' && by !== 'memory') throw new UsageError(`--by must be cpu or memory, got "${by}"`);
        const n = parseNumber('n', str(values, 'n'), 1, 1000) ?? 10;
        const { store } = await openForReading(values);
        try {
          return topCommand(store, { t, by, n: Math.round(n) }, defaultMonitorConfig().sampleIntervalMs, values.json === true, (s) =>
            process.stdout.write(s),
          );
        } finally {
          store.close();
        }
      }
      case 'backup':
        return await backupCommand(dbPath(values), str(values, 'out'), (s) => process.stdout.write(s));
      case 'backups':
        return backupsCommand(dbPath(values), (s) => process.stdout.write(s));
      case 'restore':
        return await restoreCommand(dbPath(values), str(values, 'from'), (s) => process.stdout.write(s));
      case 'mcp': {
        // Loaded for this command only: the MCP SDK (and the zod schemas it builds as it loads) costs
        // ~250 ms of CPU and ~10 MB of heap, which `record` would otherwise pay at every start.
        const { mcpCommand } = await import('./mcp');
        return await mcpCommand(dbPath(values));
      }
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`vitals: ${e.message}\n`);
      if (/unknown command|unexpected argument|Unknown option/.test(e.message)) process.stderr.write(`Run "vitals help" for usage.\n`);
      return 2;
    }
    // The backend's own errors (an export target refused, …) carry a protocol code, not an errno: the message says it all.
    if (e instanceof RecorderBusyError || e instanceof InvalidBackupError || e instanceof VitalsError) {
      process.stderr.write(`vitals: ${e.message}\n`);
      return 1;
    }
    if (e instanceof NotVitalsError || e instanceof NewerSchemaError) {
      process.stderr.write(`vitals: ${e.message} The file was left untouched.\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`vitals: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}\n`);
    return 1;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => process.exit(code));
