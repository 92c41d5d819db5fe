// Command-line parsing and validation: every mistake becomes one clear line, never a stack trace.
import { parseArgs } from 'node:util';
import type { ExportFormat, ExportScope } from '../backend/types';
import { errorText } from '../shared/errors';
import { parseIsoTime } from '../shared/time';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage: vitals <command> [options]

Commands:
  record   [--db FILE] [--interval SECONDS] [--duration SECONDS] [--wait] [--config FILE]
           [--max-cpu PERCENT] [--metrics-listen [HOST:]PORT] [--metrics-token-file FILE]
           [--metrics-textfile FILE] [--metrics-groups N]
           Sample the machine and record into the database, with a live summary line.
           Ctrl-C flushes and exits. If another process records into the database,
           exit with an error, or with --wait take over when it stops.
           --max-cpu: share of one core the samplers may use (default 1); above it
           processes are sampled less often (vitals.governor.maxCpuPercent).
           --metrics-listen serves Prometheus metrics at http://HOST:PORT/metrics
           (a port alone: 127.0.0.1); --metrics-token-file requires that bearer token;
           --metrics-textfile writes the same text to FILE every interval (for
           node_exporter's textfile collector); --metrics-groups: process groups kept
           by CPU and by memory each (default 10), the rest summed into "other".
           --config FILE: a JSON object of vitals.* settings (as in VS Code, e.g.
           "vitals.alerts.processCpu.percent": 50); alerts print a line as they start and end.
  events   [--db FILE] [--from ISO] [--to ISO] [--json]
           The alert events recorded (busy process or machine, low memory, leak, disk).
  top      [--db FILE] --at ISO|-2h [--by cpu|memory] [-n N] [--json]
           Who was busy at that moment: exact from raw samples, else that rollup bucket's top.
  health   [--db FILE] [--json]
           Storage health: size, rows per tier, oldest/newest sample, retention, last flush.
  export   [--db FILE] --format csv|json|ndjson|sqlite [--from ISO] [--to ISO]
           [--scope system|processes|pid:N|events|all] --out FILE
           Export history in a time range (default: everything). The scope defaults
           to system; events are the alert events. sqlite holds everything in one
           file (scope all) by default, as tables system_samples, process_samples,
           processes, events and meta.
  mcp      [--db FILE]
           Serve read-only tools for AI agents (Model Context Protocol over stdio):
           the machine now, top processes, metric and process history, alert events,
           storage health.
  backup   [--db FILE] [--out FILE]
           Write a consistent copy of the database (default: into backups/ beside it).
  backups  [--db FILE]
           List the backups in the backups/ folder beside the database.
  restore  [--db FILE] --from BACKUP
           Replace the history with a backup (checked first). The current database is kept
           as <name>.before-restore-<time>; a running recorder switches over to the backup.

The database defaults to the per-user data directory (see README).`;

export function parseNumber(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${value}"`);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function parseDate(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = parseIsoTime(value);
  if (typeof t !== 'number') throw new UsageError(`--${name} ${t.error}`);
  return t;
}

/** The scope of an export in `format`: without --scope, system (sqlite: all, its tables hold both). */
export function parseScope(value: string | undefined, format: ExportFormat): ExportScope {
  if (value === undefined) return format === 'sqlite' ? { kind: 'all' } : { kind: 'system' };
  if (value === 'system') return { kind: 'system' };
  if (value === 'processes') return { kind: 'processes' };
  if (value === 'events') return { kind: 'events' };
  if (value === 'all') {
    if (format !== 'sqlite') throw new UsageError(`--scope all needs --format sqlite (a ${format} file holds system or process rows)`);
    return { kind: 'all' };
  }
  const m = /^pid:(\d+)$/.exec(value);
  if (m) return { kind: 'pid', pid: Number(m[1]) };
  throw new UsageError(`--scope must be system, processes, pid:N, events or all, got "${value}"`);
}

export function parseFormat(value: string | undefined): ExportFormat {
  if (value === 'csv' || value === 'json' || value === 'ndjson' || value === 'sqlite') return value;
  throw new UsageError(
    value === undefined
      ? '--format is required (csv, json, ndjson or sqlite)'
      : `--format must be csv, json, ndjson or sqlite, got "${value}"`,
  );
}

export interface ParsedCommand {
  command: string;
  values: Record<string, string | boolean | undefined>;
}

/** Options whose value may start with a dash: relative times (`--at -2h`). */
const DASH_VALUES = new Set(['--at', '--from', '--to']);

/** `--at -2h` as `--at=-2h`: parseArgs would take `-2h` for options, not for the value it is. */
function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (DASH_VALUES.has(a) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export function parseCommandLine(argv: string[]): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinDashValues(argv),
      allowPositionals: true,
      strict: true,
      options: {
        db: { type: 'string' },
        interval: { type: 'string' },
        duration: { type: 'string' },
        json: { type: 'boolean' },
        format: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        scope: { type: 'string' },
        out: { type: 'string' },
        wait: { type: 'boolean' },
        'max-cpu': { type: 'string' },
        'metrics-listen': { type: 'string' },
        'metrics-token-file': { type: 'string' },
        'metrics-textfile': { type: 'string' },
        'metrics-groups': { type: 'string' },
        config: { type: 'string' },
        at: { type: 'string' },
        by: { type: 'string' },
        n: { type: 'string', short: 'n' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError(errorText(e));
  }
  const [command = 'help', ...rest] = parsed.positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  return { command: parsed.values.help ? 'help' : command, values: parsed.values };
}
