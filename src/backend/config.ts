// The one description of every `vitals.*` setting: type, default, range and text. package.json's
// `contributes.configuration` is checked against it by a unit test, the extension validates what
// VS Code hands it with `validateSettings`, and the CLI builds its config from the same defaults.

import type { CommandLineMode, RetentionPolicy } from './types';
import type { AlertsConfig } from './alerts/types';
import { parseListenAddress, type ListenAddress } from './metrics-endpoint/address';
import { errorText } from '../shared/errors';

/** POSIX `/…`, Windows `C:\…` or `\\server\…`; pure (no node:path), as the webview type-checks this file. */
function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

interface NumberSpec {
  type: 'number' | 'integer';
  default: number;
  minimum: number;
  maximum: number;
  description: string;
}
interface BooleanSpec {
  type: 'boolean';
  default: boolean;
  description: string;
}
interface EnumSpec<T extends string> {
  type: 'string';
  enum: readonly T[];
  enumDescriptions: readonly string[];
  default: T;
  description: string;
}
/** Free text; `check` says what is wrong with a value (undefined when it is fine). */
interface TextSpec {
  type: 'string';
  default: string;
  description: string;
  check?: (value: string) => string | undefined;
}
export type SettingSpec = NumberSpec | BooleanSpec | EnumSpec<string> | TextSpec;

export const SETTINGS = {
  'recording.enabled': {
    type: 'boolean',
    default: true,
    description: 'Record samples to the history database in the background once VS Code has started.',
  },
  'sampling.intervalSeconds': {
    type: 'number',
    default: 2,
    minimum: 0.5,
    maximum: 60,
    description: 'Seconds between two samples of the system and its processes.',
  },
  'governor.maxCpuPercent': {
    type: 'number',
    default: 1,
    minimum: 0.1,
    maximum: 100,
    description:
      'Share of one core (percent) the samplers may use. Above it Vitals samples processes less often (down to once a minute), then, if still above, system metrics too (down to every 10 s), and says so in Storage Health; it goes back when the cost drops. Matters where the samplers are expensive (macOS, Windows).',
  },
  'view.refreshSeconds': {
    type: 'number',
    default: 2,
    minimum: 0.5,
    maximum: 60,
    description: 'Seconds between two refreshes of the Processes and System views (never faster than sampling).',
  },
  'privacy.commandLine': {
    type: 'string',
    enum: ['off', 'redacted', 'full'] as const,
    enumDescriptions: [
      'Do not record or show command lines.',
      'Record and show command lines with obvious secrets (passwords, tokens, keys, credentials in URLs) masked.',
      'Record and show command lines exactly as the OS reports them.',
    ],
    default: 'redacted',
    description: 'How much of each process command line is recorded and shown. Command lines can hold secrets.',
  },
  'retention.rawSystemHours': {
    type: 'integer',
    default: 24,
    minimum: 1,
    maximum: 168,
    description: 'Hours to keep every system sample before only the 1-minute and 1-hour rollups remain.',
  },
  'retention.rawProcessMinutes': {
    type: 'integer',
    default: 60,
    minimum: 5,
    maximum: 1440,
    description: 'Minutes to keep every per-process sample before only the rollups remain.',
  },
  'retention.minuteDays': {
    type: 'integer',
    default: 7,
    minimum: 1,
    maximum: 90,
    description: 'Days to keep 1-minute rollups (system min/max/avg, top processes plus an "other" row).',
  },
  'retention.hourDays': {
    type: 'integer',
    default: 90,
    minimum: 1,
    maximum: 3650,
    description: 'Days to keep 1-hour rollups.',
  },
  'retention.topProcessesPerMinute': {
    type: 'integer',
    default: 30,
    minimum: 5,
    maximum: 500,
    description: 'Processes kept per 1-minute rollup, by CPU and by memory each; the rest are summed into "other".',
  },
  'retention.topProcessesPerHour': {
    type: 'integer',
    default: 50,
    minimum: 5,
    maximum: 500,
    description: 'Processes kept per 1-hour rollup, by CPU and by memory each; the rest are summed into "other".',
  },
  'storage.maxSizeMB': {
    type: 'integer',
    default: 64,
    minimum: 8,
    maximum: 4096,
    description: 'Size cap of the history database in MB. The oldest data is evicted first to stay under it.',
  },
  'storage.flushIntervalSeconds': {
    type: 'number',
    default: 2,
    minimum: 0.5,
    maximum: 300,
    description: 'Seconds between two appends of new samples to the on-disk journal (at most this much is lost on a crash).',
  },
  'storage.checkpointMinutes': {
    type: 'number',
    default: 15,
    minimum: 1,
    maximum: 1440,
    description: 'Minutes between two full, atomic rewrites of the database file (the journal is emptied after each).',
  },
  'storage.writeQueueLimit': {
    type: 'integer',
    default: 900,
    minimum: 10,
    maximum: 100000,
    description: 'Samples held in memory while the disk refuses writes; beyond this the oldest are dropped and counted.',
  },
  'storage.backupsKept': {
    type: 'integer',
    default: 7,
    minimum: 0,
    maximum: 365,
    description: 'Daily backups of the database kept in the "backups" folder beside it (0 turns automatic backups off).',
  },
  'statusBar.enabled': {
    type: 'boolean',
    default: true,
    description: 'Show CPU and memory use in the status bar.',
  },
  'statusBar.cpuWarningPercent': {
    type: 'number',
    default: 80,
    minimum: 1,
    maximum: 100,
    description: 'Total CPU use (percent of all cores) above which the status bar item gets a warning background.',
  },
  'statusBar.cpuErrorPercent': {
    type: 'number',
    default: 95,
    minimum: 1,
    maximum: 100,
    description: 'Total CPU use (percent of all cores) above which the status bar item gets an error background.',
  },
  'statusBar.memoryWarningPercent': {
    type: 'number',
    default: 85,
    minimum: 1,
    maximum: 100,
    description: 'Memory use (percent of total) above which the status bar item gets a warning background.',
  },
  'statusBar.memoryErrorPercent': {
    type: 'number',
    default: 95,
    minimum: 1,
    maximum: 100,
    description: 'Memory use (percent of total) above which the status bar item gets an error background.',
  },
  'metrics.listen': {
    type: 'string',
    default: '',
    description:
      'Serve Prometheus metrics at http://ADDRESS/metrics from the window that records, e.g. "127.0.0.1:9464" (a port alone means loopback). Empty: off.',
    check: (v: string) => {
      try {
        parseListenAddress(v);
        return undefined;
      } catch (e) {
        return errorText(e);
      }
    },
  },
  'metrics.tokenFile': {
    type: 'string',
    default: '',
    // The extension host's working folder is nobody's choice: a relative path would be a guess.
    check: (v: string) => (isAbsolutePath(v) ? undefined : `"${v}" is not an absolute path`),
    description: 'Absolute path of a file holding the bearer token every scrape of the metrics endpoint must send. Empty: no token.',
  },
  'gpu.intervalSeconds': {
    type: 'number',
    default: 10,
    minimum: 2,
    maximum: 600,
    description:
      'Seconds between two readings of NVIDIA GPUs (utilisation, memory, temperature, GPU memory per process). Each reading runs nvidia-smi, only where it is installed.',
  },
  'metrics.processGroups': {
    type: 'integer',
    default: 10,
    minimum: 1,
    maximum: 500,
    description: 'Process name groups the metrics endpoint exposes by CPU and by memory each; the rest are summed into "other".',
  },
  'alerts.enabled': {
    type: 'boolean',
    default: true,
    description:
      'Raise alerts (a busy process, a busy machine, low memory, a memory leak, a filling disk) and keep them as events. The window that records checks the rules.',
  },
  'alerts.endAfterSeconds': {
    type: 'integer',
    default: 60,
    minimum: 0,
    maximum: 3600,
    description:
      'Seconds a condition must stay false before its alert ends, so a figure hovering at the threshold does not raise it again and again.',
  },
  'alerts.processCpu.enabled': {
    type: 'boolean',
    default: true,
    description: 'Alert when one process uses a lot of CPU for a long time.',
  },
  'alerts.processCpu.percent': {
    type: 'number',
    default: 90,
    minimum: 1,
    maximum: 12800,
    description: 'CPU use of one process, in percent of ONE core (200 = two full cores), at or above which it counts as busy.',
  },
  'alerts.processCpu.seconds': {
    type: 'integer',
    default: 120,
    minimum: 1,
    maximum: 86400,
    description: 'Seconds a process must stay busy before the alert is raised.',
  },
  'alerts.machineCpu.enabled': {
    type: 'boolean',
    default: true,
    description: 'Alert when the whole machine is busy for a long time, naming the top processes.',
  },
  'alerts.machineCpu.percent': {
    type: 'number',
    default: 95,
    minimum: 1,
    maximum: 100,
    description: 'Total CPU use, in percent of all cores, at or above which the machine counts as busy.',
  },
  'alerts.machineCpu.seconds': {
    type: 'integer',
    default: 300,
    minimum: 1,
    maximum: 86400,
    description: 'Seconds the machine must stay busy before the alert is raised.',
  },
  'alerts.lowMemory.enabled': {
    type: 'boolean',
    default: true,
    description: 'Alert when available memory runs low, naming the largest and the fastest-growing processes.',
  },
  'alerts.lowMemory.availablePercent': {
    type: 'number',
    default: 10,
    minimum: 1,
    maximum: 90,
    description: 'Available memory, in percent of total, below which the alert is raised.',
  },
  'alerts.leak.enabled': {
    type: 'boolean',
    default: true,
    description:
      "Alert when a process's memory rises steadily (a fitted slope with a good fit; a garbage-collected sawtooth that does not grow does not count).",
  },
  'alerts.leak.mbPerHour': {
    type: 'number',
    default: 200,
    minimum: 1,
    maximum: 100000,
    description: "Growth of a process's resident memory, in MB per hour, at or above which it counts as a leak.",
  },
  'alerts.leak.minutes': {
    type: 'integer',
    default: 30,
    minimum: 5,
    maximum: 1440,
    description: 'Minutes over which the memory growth is fitted; a process must have been watched this long.',
  },
  'alerts.filesystem.enabled': {
    type: 'boolean',
    default: true,
    description: "Alert when a filesystem is nearly full, or will be full soon at the last hour's rate.",
  },
  'alerts.filesystem.percent': {
    type: 'number',
    default: 95,
    minimum: 1,
    maximum: 100,
    description: 'Percent full at or above which a filesystem alert is raised.',
  },
  'alerts.filesystem.projectionHours': {
    type: 'integer',
    default: 24,
    minimum: 0,
    maximum: 720,
    description: "Alert when, at the last hour's rate, a filesystem would be full within this many hours (0: only the percent-full test).",
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;
export const SETTINGS_SECTION = 'vitals';

/** What the backend needs, as plain validated numbers in the units it works in. */
export interface MonitorConfig {
  recording: boolean;
  sampleIntervalMs: number;
  commandLine: CommandLineMode;
  retention: RetentionPolicy;
  flushIntervalMs: number;
  checkpointIntervalMs: number;
  writeQueueLimit: number;
  backupsKept: number;
  /** vitals.governor.maxCpuPercent: the samplers' CPU budget, percent of one core (recorder/governor.ts). */
  governorMaxCpuPercent: number;
  /** The metrics endpoint the recorder serves; listen null = off. */
  metrics: { listen: ListenAddress | null; tokenFile: string | null; processGroups: number };
  /** How often nvidia-smi is asked, where it exists. */
  gpuIntervalMs: number;
  /** The rules the recorder checks each interval (alerts/engine.ts). */
  alerts: AlertsConfig;
}

/** What only the extension's UI needs. */
export interface UiConfig {
  viewRefreshMs: number;
  statusBar: {
    enabled: boolean;
    cpuWarningPercent: number;
    cpuErrorPercent: number;
    memoryWarningPercent: number;
    memoryErrorPercent: number;
  };
}

export interface SettingProblem {
  /** Full setting id, e.g. `vitals.sampling.intervalSeconds`. */
  setting: string;
  message: string;
}

export interface ValidatedSettings {
  monitor: MonitorConfig;
  ui: UiConfig;
  problems: SettingProblem[];
}

type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]['default'] extends boolean
  ? boolean
  : (typeof SETTINGS)[K]['default'] extends number
    ? number
    : (typeof SETTINGS)[K] extends { enum: readonly (infer E)[] }
      ? E
      : (typeof SETTINGS)[K]['default'] extends string
        ? string
        : never;

/**
 * Turns whatever the user wrote (any JSON, keyed by setting name without the `vitals.` prefix) into
 * a valid config. Out-of-range numbers become the nearest valid value, wrong types the default; each
 * replacement is reported once in `problems`, naming the setting.
 */
export function validateSettings(raw: (key: SettingKey) => unknown): ValidatedSettings {
  const problems: SettingProblem[] = [];
  const get = <K extends SettingKey>(key: K): SettingValue<K> => {
    const spec: SettingSpec = SETTINGS[key];
    const value = raw(key);
    const id = `${SETTINGS_SECTION}.${key}`;
    if (value === undefined || value === null) return spec.default as SettingValue<K>;
    if (spec.type === 'boolean') {
      if (typeof value === 'boolean') return value as SettingValue<K>;
      problems.push({ setting: id, message: `${id} must be true or false; using ${spec.default}.` });
      return spec.default as SettingValue<K>;
    }
    if (spec.type === 'string' && !('enum' in spec)) {
      const text = typeof value === 'string' ? value.trim() : undefined;
      const wrong = text === undefined ? 'must be text' : text === '' ? undefined : spec.check?.(text);
      if (wrong === undefined) return text as SettingValue<K>;
      problems.push({
        setting: id,
        message: `${id} ${wrong.startsWith('must') ? wrong : `is not usable: ${wrong}`}; using "${spec.default}".`,
      });
      return spec.default as SettingValue<K>;
    }
    if (spec.type === 'string') {
      if (typeof value === 'string' && spec.enum.includes(value)) return value as SettingValue<K>;
      problems.push({
        setting: id,
        message: `${id} must be one of ${spec.enum.map((e) => `"${e}"`).join(', ')}; using "${spec.default}".`,
      });
      return spec.default as SettingValue<K>;
    }
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(n)) {
      problems.push({ setting: id, message: `${id} must be a number; using ${spec.default}.` });
      return spec.default as SettingValue<K>;
    }
    let v = spec.type === 'integer' ? Math.round(n) : n;
    if (v < spec.minimum || v > spec.maximum) {
      v = Math.min(spec.maximum, Math.max(spec.minimum, v));
      problems.push({
        setting: id,
        message: `${id} is ${n}, outside ${spec.minimum}–${spec.maximum}; using ${v}.`,
      });
    }
    return v as SettingValue<K>;
  };

  const sampleIntervalMs = Math.round(get('sampling.intervalSeconds') * 1000);
  const monitor: MonitorConfig = {
    recording: get('recording.enabled'),
    sampleIntervalMs,
    commandLine: get('privacy.commandLine'),
    governorMaxCpuPercent: get('governor.maxCpuPercent'),
    retention: {
      rawSystemHours: get('retention.rawSystemHours'),
      rawProcessMinutes: get('retention.rawProcessMinutes'),
      minuteDays: get('retention.minuteDays'),
      hourDays: get('retention.hourDays'),
      topNMinute: get('retention.topProcessesPerMinute'),
      topNHour: get('retention.topProcessesPerHour'),
      maxDatabaseMB: get('storage.maxSizeMB'),
    },
    // Flushing more often than we sample would only write empty journal records.
    flushIntervalMs: Math.max(sampleIntervalMs, Math.round(get('storage.flushIntervalSeconds') * 1000)),
    checkpointIntervalMs: Math.round(get('storage.checkpointMinutes') * 60_000),
    writeQueueLimit: get('storage.writeQueueLimit'),
    backupsKept: get('storage.backupsKept'),
    metrics: metricsConfig(get, problems),
    gpuIntervalMs: Math.round(get('gpu.intervalSeconds') * 1000),
    alerts: alertsConfig(get),
  };

  const cpuWarning = get('statusBar.cpuWarningPercent');
  const memWarning = get('statusBar.memoryWarningPercent');
  const ui: UiConfig = {
    viewRefreshMs: Math.max(sampleIntervalMs, Math.round(get('view.refreshSeconds') * 1000)),
    statusBar: {
      enabled: get('statusBar.enabled'),
      cpuWarningPercent: cpuWarning,
      cpuErrorPercent: Math.max(cpuWarning, get('statusBar.cpuErrorPercent')),
      memoryWarningPercent: memWarning,
      memoryErrorPercent: Math.max(memWarning, get('statusBar.memoryErrorPercent')),
    },
  };
  return { monitor, ui, problems };
}

function metricsConfig(get: <K extends SettingKey>(key: K) => SettingValue<K>, problems: SettingProblem[]): MonitorConfig['metrics'] {
  const listenText = get('metrics.listen');
  const before = problems.length;
  const tokenFile = get('metrics.tokenFile') || null;
  // Checked by get(): an unusable address was already replaced by the default (off).
  let listen = listenText === '' ? null : parseListenAddress(listenText);
  if (listen && problems.length > before) {
    // A token was asked for and cannot be used: serving without one would expose what the user meant to protect.
    listen = null;
    problems.push({
      setting: `${SETTINGS_SECTION}.metrics.listen`,
      message: `${SETTINGS_SECTION}.metrics.listen is not served until ${SETTINGS_SECTION}.metrics.tokenFile is usable.`,
    });
  }
  return { listen, tokenFile, processGroups: get('metrics.processGroups') };
}

function alertsConfig(get: <K extends SettingKey>(key: K) => SettingValue<K>): AlertsConfig {
  return {
    enabled: get('alerts.enabled'),
    endAfterMs: get('alerts.endAfterSeconds') * 1000,
    processCpu: {
      enabled: get('alerts.processCpu.enabled'),
      percent: get('alerts.processCpu.percent'),
      sustainMs: get('alerts.processCpu.seconds') * 1000,
    },
    machineCpu: {
      enabled: get('alerts.machineCpu.enabled'),
      percent: get('alerts.machineCpu.percent'),
      sustainMs: get('alerts.machineCpu.seconds') * 1000,
    },
    lowMemory: { enabled: get('alerts.lowMemory.enabled'), availablePercent: get('alerts.lowMemory.availablePercent') },
    leak: {
      enabled: get('alerts.leak.enabled'),
      bytesPerHour: get('alerts.leak.mbPerHour') * 1024 * 1024,
      windowMs: get('alerts.leak.minutes') * 60_000,
    },
    filesystem: {
      enabled: get('alerts.filesystem.enabled'),
      percent: get('alerts.filesystem.percent'),
      projectionHours: get('alerts.filesystem.projectionHours'),
    },
  };
}

/** The configuration with every setting at its default (CLI, tests). */
export function defaultSettings(): ValidatedSettings {
  return validateSettings(() => undefined);
}

export function defaultMonitorConfig(overrides: Partial<MonitorConfig> = {}): MonitorConfig {
  return { ...defaultSettings().monitor, ...overrides };
}
