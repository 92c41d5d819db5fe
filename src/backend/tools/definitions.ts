// The read-only tools Vitals offers AI agents, defined once: name, the description a model reads,
// the JSON schema of the input, the check of that input (src/shared/check.ts) and the compact text
// answer, with the unit on every figure and the tier that answered. Served by `vitals mcp` (and by
// any other front door) through runTool() in ./run.ts. Nothing here writes or kills.
import { CORE_METRICS, metricUnit } from '../metrics';
import { history, metricIdsByName, summary } from '../queries/history';
import { processHistory, processRows, rankingTiers, topProcesses } from '../queries/processes';
import { loadByGroup } from '../queries/loadByGroup';
import { alertsBetween } from '../queries/events';
import type { AlertEvent } from '../alerts/types';
import type { Store } from '../storage/store';
import { inNewestInterval } from './running';
import type { HealthReport, ProcessInfo, ProcessSelector, Tier, TopProcessRow } from '../types';
import { intIn, obj, oneOf, optional, strOf, type Check } from '../../shared/check';
import { BadRequestError } from '../../shared/errors';
import { formatDateTime, formatDuration, formatPercent, formatValue } from '../../shared/format';
import { healthText } from '../../shared/healthText';
import { parseToolTime } from '../../shared/time';

/** What a tool reads: the history (read-only), the sampling interval, the clock, the health report. */
export interface ToolContext {
  store: Store;
  sampleIntervalMs: number;
  now: number;
  health(store: Store): Promise<HealthReport>;
}

/** A JSON Schema object, as MCP's tools/list and VS Code's languageModelTools carry it. */
export interface JsonSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
  additionalProperties: false;
}

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  /** Validates the arguments (the schema is for the model; this is what the server relies on). */
  check: Check;
  run(input: Record<string, unknown>, ctx: ToolContext): string | Promise<string>;
}

const TIER_TEXT: Readonly<Record<Tier, string>> = {
  raw: 'raw samples',
  '1m': '1-minute rollups',
  '1h': '1-hour rollups',
};

const tiersText = (tiers: Tier[]): string => (tiers.length === 0 ? 'no tier' : tiers.map((t) => TIER_TEXT[t]).join(' + '));

const RANGE_PROPS = {
  from: { type: 'string', description: 'Start: "now", relative like "-15m", "-2h", "-1d", or ISO 8601 (2026-11-23T15:00). Default "-1h".' },
  to: { type: 'string', description: 'End: same forms as from. Default "now".' },
};
const rangeChecks = { from: optional(strOf(1, 64)), to: optional(strOf(1, 64)) };

interface Range {
  from: number;
  to: number;
}

function range(input: Record<string, unknown>, now: number, defaultFrom = '-1h'): Range {
  const at = (key: 'from' | 'to', fallback: string): number => {
    const text = typeof input[key] === 'string' ? (input[key] as string) : fallback;
    const t = parseToolTime(text, now);
    if (typeof t !== 'number') throw new BadRequestError(`${key} ${t.error}`);
    return t;
  };
  const from = at('from', defaultFrom);
  const to = at('to', 'now');
  if (from >= to) throw new BadRequestError(`from (${formatDateTime(from)}) must be before to (${formatDateTime(to)})`);
  return { from, to };
}

/** The oldest and newest system sample the history holds, to say what a range with no data missed. */
function heldSpan(store: Store): string {
  const row = store.db.exec(
    'SELECT min(t), max(t) FROM (SELECT t FROM sys_raw UNION ALL SELECT t FROM sys_1m UNION ALL SELECT t FROM sys_1h)',
  )[0]?.values[0];
  if (!row || row[0] === null || row[0] === undefined) return 'the history is empty (is a recorder running?)';
  return `the history holds ${formatDateTime(Number(row[0]))} … ${formatDateTime(Number(row[1]))}`;
}

function noData(what: string, r: Range, store: Store): BadRequestError {
  return new BadRequestError(`no ${what} between ${formatDateTime(r.from)} and ${formatDateTime(r.to)}; ${heldSpan(store)}`);
}

const rangeLine = (r: Range, tiers: string): string => `${formatDateTime(r.from)} … ${formatDateTime(r.to)} (local time), from ${tiers}`;

function processLine(p: TopProcessRow, i: number): string {
  const cmd = p.command && p.command !== p.name ? `  ${p.command.length > 80 ? `${p.command.slice(0, 79)}…` : p.command}` : '';
  return (
    `${i + 1}. ${p.name} (pid ${p.pid}${p.user ? `, ${p.user}` : ''}): CPU avg ${formatPercent(p.cpuAvg)} max ${formatPercent(p.cpuMax)} of one core, ` +
    `memory avg ${formatValue('bytes', p.rssAvgBytes)} max ${formatValue('bytes', p.rssMaxBytes)}${cmd}`
  );
}

const NOW_METRICS = [
  'cpu.total',
  'load.1',
  'load.5',
  'load.15',
  'mem.used',
  'mem.available',
  'mem.total',
  'swap.used',
  'disk.read',
  'disk.write',
  'net.rx',
  'net.tx',
];

const machineNow: ToolDefinition = {
  name: 'vitals_now',
  title: 'Machine right now',
  description:
    'The machine at the newest recorded sample: CPU, load, memory, swap, disk and network rates, and the top processes by CPU. ' +
    'Use for "what is using CPU/memory right now".',
  inputSchema: {
    type: 'object',
    properties: { limit: { type: 'integer', minimum: 1, maximum: 25, description: 'How many top processes (default 5).' } },
    additionalProperties: false,
  },
  check: obj({ limit: optional(intIn(1, 25)) }),
  run(input, ctx) {
    const row = ctx.store.db.exec('SELECT max(t) FROM sys_raw')[0]?.values[0]?.[0];
    if (row === null || row === undefined) throw new BadRequestError(`no samples recorded yet; ${heldSpan(ctx.store)}`);
    const t = Number(row);
    const at = { from: t, to: t + 1 };
    const m = summary(ctx.store, at.from, at.to, NOW_METRICS, ctx.sampleIntervalMs).metrics;
    const v = (name: string): string => formatValue(metricUnit(name), m[name]?.avg);
    // The newest process sample: older than the system's when the cost governor samples processes less often.
    const procRow = ctx.store.db.exec('SELECT max(t) FROM proc_raw WHERE t <= ?', [t])[0]?.values[0]?.[0];
    const pt = procRow === null || procRow === undefined ? t : Number(procRow);
    const top = topProcesses(
      ctx.store,
      { from: pt, to: pt + 1, by: 'cpu', limit: typeof input.limit === 'number' ? input.limit : 5 },
      ctx.sampleIntervalMs,
    );
    return [
      `Machine at ${formatDateTime(t)} local time (${formatDuration(Math.max(0, ctx.now - t))} ago), from raw samples.`,
      `CPU ${v('cpu.total')} of all cores; load ${v('load.1')} ${v('load.5')} ${v('load.15')}`,
      `Memory ${v('mem.used')} used of ${v('mem.total')} (${v('mem.available')} available); swap ${v('swap.used')} used`,
      `Disk read ${v('disk.read')}, write ${v('disk.write')}; network rx ${v('net.rx')}, tx ${v('net.tx')}`,
      pt === t
        ? `Top processes by CPU (% of one core):`
        : `Top processes by CPU (% of one core) at ${formatDateTime(pt)} (processes are sampled less often, to keep Vitals' own cost down):`,
      ...top.map(processLine),
    ].join('\n');
  },
};

const topProcessesTool: ToolDefinition = {
  name: 'vitals_top_processes',
  title: 'Top processes over a time range',
  description:
    'The processes that used the most CPU or memory over a time range (default the last hour), with average and peak CPU ' +
    '(% of one core) and memory (RSS). Use for "what used the most CPU in the last hour" or "which process grew to 4 GB".',
  inputSchema: {
    type: 'object',
    properties: {
      ...RANGE_PROPS,
      by: { type: 'string', enum: ['cpu', 'memory'], description: 'Rank by average CPU or by peak memory (default cpu).' },
      limit: { type: 'integer', minimum: 1, maximum: 50, description: 'How many processes (default 10).' },
    },
    additionalProperties: false,
  },
  check: obj({ ...rangeChecks, by: optional(oneOf('cpu', 'memory')), limit: optional(intIn(1, 50)) }),
  run(input, ctx) {
    const r = range(input, ctx.now);
    const by = input.by === 'memory' ? 'memory' : 'cpu';
    const rows = topProcesses(ctx.store, { ...r, by, limit: typeof input.limit === 'number' ? input.limit : 10 }, ctx.sampleIntervalMs);
    if (rows.length === 0) throw noData('process samples', r, ctx.store);
    return [
      `Top processes by ${by === 'cpu' ? 'average CPU' : 'peak memory'}, ${rangeLine(r, tiersText(rankingTiers(ctx.store, r.from, r.to, ctx.sampleIntervalMs)))}:`,
      ...rows.map(processLine),
    ].join('\n');
  },
};

/** Metric names the history holds, the core ones first: what an unknown metric's error lists. */
function knownMetrics(store: Store): string[] {
  const names = (store.db.exec('SELECT name FROM metric ORDER BY name')[0]?.values ?? []).map((r) => String(r[0]));
  const core: readonly string[] = CORE_METRICS;
  return [...core.filter((n) => names.includes(n)), ...names.filter((n) => !core.includes(n))];
}

const metricHistory: ToolDefinition = {
  name: 'vitals_metric_history',
  title: 'Metric history over a time range',
  description:
    'A system metric over a time range summarised to a handful of points (average, min and max per point). Metrics: cpu.total, ' +
    'cpu.user, cpu.system, cpu.iowait (% of all cores), core.<i>.total, load.1/5/15, mem.used, mem.available, mem.cached, swap.used ' +
    '(bytes), disk.read, disk.write, net.rx, net.tx (bytes/s), fs.<mount>.used. Use for "did the build get slower this week".',
  inputSchema: {
    type: 'object',
    properties: {
      metric: { type: 'string', description: 'Metric name, e.g. "cpu.total" or "mem.used".' },
      ...RANGE_PROPS,
      points: { type: 'integer', minimum: 1, maximum: 60, description: 'At most this many points (default 12).' },
    },
    required: ['metric'],
    additionalProperties: false,
  },
  check: obj({ metric: strOf(1, 200), ...rangeChecks, points: optional(intIn(1, 60)) }),
  run(input, ctx) {
    const metric = input.metric as string;
    const r = range(input, ctx.now);
    if (metricIdsByName(ctx.store, [metric]).size === 0) {
      const known = knownMetrics(ctx.store);
      const shown = known.slice(0, 30).join(', ');
      throw new BadRequestError(
        `unknown metric "${metric}"; known: ${shown || 'none yet'}${known.length > 30 ? ` and ${known.length - 30} more` : ''}`,
      );
    }
    const h = history(
      ctx.store,
      { metrics: [metric], ...r, maxPoints: typeof input.points === 'number' ? input.points : 12 },
      ctx.sampleIntervalMs,
    );
    const s = h.series[metric]!;
    const unit = metricUnit(metric);
    const lines: string[] = [];
    const whole = summary(ctx.store, r.from, r.to, [metric], ctx.sampleIntervalMs).metrics[metric];
    h.t.forEach((t, i) => {
      if (s.avg[i] === null || s.avg[i] === undefined) return;
      lines.push(
        `${formatDateTime(t)}  avg ${formatValue(unit, s.avg[i])}  min ${formatValue(unit, s.min[i])}  max ${formatValue(unit, s.max[i])}`,
      );
    });
    if (!whole || lines.length === 0) throw noData(`samples of ${metric}`, r, ctx.store);
    return [
      `${metric}, ${rangeLine(r, TIER_TEXT[h.tier])}, points of ${formatDuration(h.bucketMs)} (missing points: nothing recorded):`,
      `whole range: avg ${formatValue(unit, whole.avg)}  min ${formatValue(unit, whole.min)}  max ${formatValue(unit, whole.max)}`,
      ...lines,
    ].join('\n');
  },
};

/** The process a pid names in the range: the newest one with that pid seen there. */
function selectByPid(store: Store, pid: number, r: Range): ProcessInfo | undefined {
  const rows = [...processRows(store, 'pid = ? AND last_seen >= ? AND first_seen <= ?', [pid, r.from, r.to]).values()];
  return rows.sort((a, b) => b.startTime - a.startTime)[0];
}

const processHistoryTool: ToolDefinition = {
  name: 'vitals_process_history',
  title: 'A process over a time range',
  description:
    'CPU (% of one core), memory (RSS) and disk read/write rates of one process (by pid) or of all processes with a name (summed), over a time range, ' +
    'summarised to a handful of points, with when they started and exited. Give either name or pid.',
  inputSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'Process name as listed by the other tools, e.g. "node".' },
      pid: { type: 'integer', minimum: 0, description: 'Process id (the newest process with it in the range).' },
      ...RANGE_PROPS,
      points: { type: 'integer', minimum: 1, maximum: 60, description: 'At most this many points (default 12).' },
    },
    additionalProperties: false,
  },
  check: obj({ name: optional(strOf(1, 200)), pid: optional(intIn(0)), ...rangeChecks, points: optional(intIn(1, 60)) }),
  run(input, ctx) {
    const r = range(input, ctx.now);
    if ((input.name === undefined) === (input.pid === undefined)) throw new BadRequestError('give either name or pid (one of them)');
    let select: ProcessSelector;
    let label: string;
    if (typeof input.pid === 'number') {
      const p = selectByPid(ctx.store, input.pid, r);
      if (!p) throw noData(`process with pid ${input.pid}`, r, ctx.store);
      select = { kind: 'process', pid: p.pid, startTime: p.startTime };
      label = `${p.name} (pid ${p.pid})`;
    } else {
      select = { kind: 'name', name: input.name as string };
      label = `processes named "${input.name as string}" (summed)`;
    }
    const h = processHistory(
      ctx.store,
      { select, ...r, maxPoints: typeof input.points === 'number' ? input.points : 12 },
      ctx.sampleIntervalMs,
    );
    const lines: string[] = [];
    h.t.forEach((t, i) => {
      if (h.cpu.avg[i] === null || h.cpu.avg[i] === undefined) return;
      // Disk I/O only where it was readable (another user's process: unknown, left out).
      const read = h.readBps.avg[i];
      const write = h.writeBps.avg[i];
      const io =
        read === null || read === undefined || write === null || write === undefined
          ? ''
          : `  disk read ${formatValue('rate', read)} write ${formatValue('rate', write)}`;
      lines.push(
        `${formatDateTime(t)}  CPU avg ${formatPercent(h.cpu.avg[i])} max ${formatPercent(h.cpu.max[i])}  ` +
          `memory avg ${formatValue('bytes', h.rssBytes.avg[i])} max ${formatValue('bytes', h.rssBytes.max[i])}${io}`,
      );
    });
    if (lines.length === 0) throw noData(`samples of ${label}`, r, ctx.store);
    const shown = h.processes.slice(0, 5);
    const running = inNewestInterval(ctx.store, shown);
    const procs = shown.map((p, i) => {
      const state = running?.[i]
        ? 'running at the newest sample'
        : `gone by the newest sample (last seen about ${formatDateTime(p.lastSeen)})`;
      return `  pid ${p.pid} (parent ${p.ppid}${p.user ? `, ${p.user}` : ''}) started ${formatDateTime(p.startTime)}, ${state}`;
    });
    const more = h.processes.length > 5 ? [`  … and ${h.processes.length - 5} more`] : [];
    return [
      `${label}, ${rangeLine(r, TIER_TEXT[h.tier])}, points of ${formatDuration(h.bucketMs)}:`,
      `${h.processes.length} process${h.processes.length === 1 ? '' : 'es'}:`,
      ...procs,
      ...more,
      ...lines,
    ].join('\n');
  },
};

const loadByGroupTool: ToolDefinition = {
  name: 'vitals_load_by_group',
  title: 'CPU and memory by VS Code extension or role',
  description:
    "CPU (% of one core) and memory (RSS) of VS Code's own processes over a time range (default the last hour), summed by the " +
    'extension they serve (language servers, debug adapters, linters) or by their role (extension host, pty host, file watcher, ' +
    'terminal, task, server…): average and peak CPU, peak memory, how many processes. An extension counts only where its ' +
    'process could be told apart: extensions running inside the extension host share its figures. Use for "which extension ' +
    'is eating my CPU" or "how much memory do my language servers take".',
  inputSchema: {
    type: 'object',
    properties: {
      ...RANGE_PROPS,
      by: { type: 'string', enum: ['extension', 'role'], description: 'Group by extension or by role (default extension).' },
      limit: { type: 'integer', minimum: 1, maximum: 50, description: 'How many groups; the rest are summed as "other" (default 10).' },
    },
    additionalProperties: false,
  },
  check: obj({ ...rangeChecks, by: optional(oneOf('extension', 'role')), limit: optional(intIn(1, 50)) }),
  run(input, ctx) {
    const r = range(input, ctx.now);
    const by = input.by === 'role' ? 'role' : 'extension';
    const res = loadByGroup(
      ctx.store,
      { ...r, by, maxPoints: 60, limit: typeof input.limit === 'number' ? input.limit : 10 },
      ctx.sampleIntervalMs,
    );
    if (res.groups.length === 0)
      throw noData(by === 'extension' ? 'processes attributed to an extension' : 'VS Code processes', r, ctx.store);
    return [
      `CPU and memory by ${by}, ${rangeLine(r, TIER_TEXT[res.tier])}:`,
      ...res.groups.map(
        (g, i) =>
          `${i + 1}. ${g.label}${g.label !== g.key ? ` (${g.key})` : ''}: CPU avg ${formatPercent(g.cpuAvg)} max ${formatPercent(g.cpuMax)} ` +
          `of one core, memory max ${formatValue('bytes', g.rssMaxBytes)}, ${g.processes} process${g.processes === 1 ? '' : 'es'}`,
      ),
    ].join('\n');
  },
};

/** The peak figure in its unit: `198 % of one core`, `1.2 GB`, `250 MB/h`. */
function peakText(e: AlertEvent): string {
  const { value, unit } = e.peak;
  if (unit === '%core') return `${formatPercent(value)} of one core`;
  if (unit === '%') return formatPercent(value);
  if (unit === 'bytes') return formatValue('bytes', value);
  return `${formatValue('bytes', value)}/h`;
}

const EVENTS_SHOWN = 30;

const eventsTool: ToolDefinition = {
  name: 'vitals_events',
  title: 'Alert events',
  description:
    'The alerts Vitals recorded over a time range (default the last 24 hours): a process, extension or role using a core ' +
    'for long, the machine busy, memory low, a memory leak, a filesystem (nearly) full. Each with its start, how long it ' +
    'lasted (or ACTIVE if it still is), the culprit (name, pids), the peak figure with its unit and what happened. Use for ' +
    '"what went wrong this afternoon" or "which process spiked"; then vitals_process_history on a pid for the detail.',
  inputSchema: {
    type: 'object',
    properties: {
      from: { ...RANGE_PROPS.from, description: RANGE_PROPS.from.description.replace('Default "-1h"', 'Default "-24h"') },
      to: RANGE_PROPS.to,
    },
    additionalProperties: false,
  },
  check: obj(rangeChecks),
  run(input, ctx) {
    const r = range(input, ctx.now, '-24h');
    const events = alertsBetween(ctx.store, r.from, r.to);
    const head = `Alert events from ${formatDateTime(r.from)} to ${formatDateTime(r.to)}`;
    if (events.length === 0) return `${head}: none.`;
    const active = events.filter((e) => e.end === null).length;
    // Newest first: an agent asking about trouble wants the latest.
    const lines = [...events]
      .reverse()
      .slice(0, EVENTS_SHOWN)
      .map((e) => {
        const pids = e.culprit.processes.map((p) => p.pid).join(',');
        const span = e.end === null ? `ACTIVE for ${formatDuration(ctx.now - e.start)}` : `lasted ${formatDuration(e.end - e.start)}`;
        return `- ${formatDateTime(e.start)} ${e.rule}, ${span}: ${e.culprit.label}${pids ? ` (pid ${pids})` : ''}, peak ${peakText(e)}. ${e.text}`;
      });
    const more = events.length > EVENTS_SHOWN ? [`… and ${events.length - EVENTS_SHOWN} older`] : [];
    return [`${head}: ${events.length} event${events.length === 1 ? '' : 's'}, ${active} active (newest first):`, ...lines, ...more].join(
      '\n',
    );
  },
};

const storageHealth: ToolDefinition = {
  name: 'vitals_storage_health',
  title: 'Storage health',
  description: "Vitals' history database: size against its cap, rows per tier, oldest/newest sample, retention, last flush and checkpoint.",
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  check: obj({}),
  async run(_input, ctx) {
    return healthText(await ctx.health(ctx.store));
  },
};

export const TOOLS: readonly ToolDefinition[] = [
  machineNow,
  topProcessesTool,
  metricHistory,
  processHistoryTool,
  loadByGroupTool,
  eventsTool,
  storageHealth,
];
