// Plain data shapes shared by the samplers, the store, the queries, the worker protocol, the CLI and
// the extension. No behaviour here, and nothing that needs `vscode` or Node APIs.

/** Milliseconds since the Unix epoch. */
export type Millis = number;

/** Busy shares of a CPU (or of all CPUs) over one interval, each 0..100. */
export interface CpuShare {
  /** 100 - idle: everything that was not idle. */
  total: number;
  user: number;
  system: number;
  iowait: number;
  /** Time a hypervisor ran something else while this VM wanted the CPU (absent where not measured). */
  steal?: number;
  idle: number;
}

/** Pressure stall information (/proc/pressure/*): % of the last 10 s some / all tasks waited. */
export interface PressureShare {
  some: number;
  /** Absent for cpu before Linux 5.13. */
  full?: number;
}

export interface InterfaceRate {
  name: string;
  rxBps: number;
  txBps: number;
}

export interface FilesystemUsage {
  mount: string;
  fstype: string;
  sizeBytes: number;
  usedBytes: number;
}

/** One system-wide sample. Rates are averages over the interval since the previous sample. */
export interface SystemSample {
  t: Millis;
  cpu: CpuShare;
  cores: CpuShare[];
  load: [number, number, number];
  mem: { totalBytes: number; usedBytes: number; availableBytes: number; cachedBytes: number };
  swap: { totalBytes: number; usedBytes: number };
  disk: { readBps: number; writeBps: number };
  net: { rxBps: number; txBps: number; interfaces: InterfaceRate[] };
  filesystems: FilesystemUsage[];
  /** Where the kernel has PSI (Linux 4.20+, CONFIG_PSI, not disabled by psi=0). */
  pressure?: { cpu: PressureShare; memory: PressureShare; io: PressureShare };
  /** procs_running / procs_blocked of /proc/stat: runnable tasks, and tasks waiting on I/O (D). */
  tasks?: { running: number; blocked: number };
  /** The limits of the cgroup Vitals runs in, when it has any (a dev container, a pod): see sampling/linux/cgroupLimits.ts. */
  cgroup?: CgroupLimits | undefined;
  /** Temperatures and batteries, where the machine has them (sampled slowly: sampling/sensors.ts). */
  sensors?: SensorReadings | undefined;
  /** NVIDIA GPUs, when `nvidia-smi` is on PATH (sampling/gpu/). */
  gpus?: GpuSample[] | undefined;
}

/**
 * The limits of Vitals' own cgroup (the tightest along its path to the root), so percentages can be
 * of what this container may use rather than of the host. Present only when a limit is set.
 */
export interface CgroupLimits {
  version: 1 | 2;
  /** Bytes; null when memory is not limited. */
  memoryLimitBytes: number | null;
  /** What the cgroup uses now (memory.current / memory.usage_in_bytes), bytes; null when unreadable. */
  memoryUsedBytes: number | null;
  /** Cores the CPU quota allows (quota / period); null when not limited. */
  cpuLimitCores: number | null;
  /** CPU the cgroup used over the interval, in cores; null on the first sample or when unreadable. */
  cpuUsedCores: number | null;
}

export interface TemperatureReading {
  /** Stable key: `<chip>/<label>` (hwmon), used as the metric name's tail. */
  key: string;
  /** For people: the sensor's label, or the chip and input when it has none. */
  label: string;
  celsius: number;
  /** The chip's critical temperature, when it says. */
  criticalCelsius?: number | undefined;
}

export interface BatteryReading {
  name: string;
  /** 0..100; null when unknown. */
  percent: number | null;
  /** 'Charging', 'Discharging', 'Full', 'Not charging', 'Unknown'… as the kernel says it. */
  status: string;
  /** Watts drawn or charged; null when the battery does not say. */
  watts: number | null;
}

export interface SensorReadings {
  /** When these were read (sensors are read every `SENSOR_INTERVAL_MS`, not every sample). */
  t: Millis;
  temperatures: TemperatureReading[];
  batteries: BatteryReading[];
}

export interface GpuSample {
  index: number;
  name: string;
  /** Percent, null when the driver says "[N/A]" or "[Not Supported]". */
  utilization: number | null;
  memoryUsedBytes: number | null;
  memoryTotalBytes: number | null;
  celsius: number | null;
}

/** The container a process runs in, from its cgroup path (sampling/linux/cgroup.ts). */
export interface ContainerRef {
  runtime: ContainerRuntime;
  /** The container id as the runtime names it (64 hex for Docker, Podman, containerd, CRI-O). */
  id: string;
  /** From the Docker/Podman API, where its socket is readable to the user; absent otherwise. */
  name?: string | undefined;
  /** The Kubernetes pod uid, for containers of a pod. */
  pod?: string | undefined;
}

export const CONTAINER_RUNTIMES = ['docker', 'podman', 'containerd', 'cri-o', 'kubernetes', 'lxc', 'nspawn'] as const;
export type ContainerRuntime = (typeof CONTAINER_RUNTIMES)[number];

/**
 * One process at one sample. A process is identified by (pid, startTime), never pid alone: the OS
 * reuses pids.
 */
export interface ProcessSample {
  pid: number;
  ppid: number;
  /** When the process started, ms since epoch (from boot time + start ticks on Linux). */
  startTime: Millis;
  name: string;
  /** Command line as the `commandLine` mode allows: '' when off, secrets masked when redacted. */
  command: string;
  user: string;
  /** One-letter state as in /proc (R running, S sleeping, D disk wait, Z zombie, T stopped, I idle). */
  state: string;
  /** CPU use over the last interval in percent of ONE core, as `top` shows it: 200 = two full cores. */
  cpu: number;
  rssBytes: number;
  threads: number;
  /**
   * Bytes this process had storage read for / write during the last interval (/proc/<pid>/io
   * read_bytes, write_bytes; includes children it reaped). null where the file is not readable to us
   * (another user's process, unless root) or before a baseline: unknown, never a fake 0.
   */
  readBytes?: number | null;
  writeBytes?: number | null;
  /** CPU of this process's children that finished during the interval (cutime + cstime growth), % of one core. */
  childrenCpu?: number;
  /** What this process is to VS Code (src/backend/vscode/); absent for processes VS Code did not start. */
  role?: ProcessRole | undefined;
  /** The container it runs in, from its cgroup (Linux); absent on the host. Live only, never stored. */
  container?: ContainerRef | undefined;
  /** GPU memory it holds (`nvidia-smi --query-compute-apps`); absent when none or no NVIDIA GPU. Live only. */
  gpuMemoryBytes?: number | undefined;
}

export interface ProcessKey {
  pid: number;
  startTime: Millis;
}

export function processKeyString(k: ProcessKey): string {
  return `${k.pid}@${k.startTime}`;
}

/** What one interval produced. */
export interface Snapshot {
  t: Millis;
  system: SystemSample;
  processes: ProcessSample[];
  /**
   * When `processes` was sampled, if at an earlier tick: the cost governor samples processes less
   * often than the system, and the ticks between publish the last list again. Absent: at `t`.
   */
  processesAt?: Millis;
}

export interface StaticInfo {
  hostname: string;
  platform: NodeJS.Platform | string;
  os: string;
  cpuModel: string;
  cpuCount: number;
  totalMemBytes: number;
}

export interface SystemSampler {
  sample(now: Millis): Promise<SystemSample>;
  dispose(): void;
}

export interface ProcessSampler {
  sample(now: Millis): Promise<ProcessSample[]>;
  /** Applies to processes read from now on; already-read command lines are re-masked by the caller. */
  setCommandLineMode(mode: CommandLineMode): void;
  dispose(): void;
}

export type CommandLineMode = 'off' | 'redacted' | 'full';

export interface Clock {
  now(): Millis;
}

export const systemClock: Clock = { now: () => Date.now() };

// ---------------------------------------------------------------------------------------------
// VS Code roles (src/backend/vscode/)

export const ROLE_KINDS = [
  'main',
  'extension-host',
  'pty-host',
  'file-watcher',
  'shared-process',
  'renderer',
  'gpu',
  'utility',
  'crashpad',
  'zygote',
  'server',
  'terminal',
  'task',
  'extension',
  'unknown',
] as const;
/**
 * `unknown`: VS Code's (it descends from VS Code or carries its variables) but nothing says what it
 * does. Processes that are not VS Code's have no role at all.
 */
export type RoleKind = (typeof ROLE_KINDS)[number];

export interface ProcessRole {
  kind: RoleKind;
  /**
   * What the kind alone does not say, '' when nothing: the workspace of an extension host, the
   * terminal's name, the task's label, the utility sub-type, 'language server'…
   */
  detail: string;
  /** The extension it serves, only when the command line, executable or ancestry says which. */
  extensionId?: string | undefined;
  extensionName?: string | undefined;
  /** The extension host (its pid) this process belongs to, when known. */
  hostPid?: number | undefined;
  /** A server's VS Code commit, when its path names it. */
  commit?: string | undefined;
  /**
   * Set while the process runs but its VS Code ancestor (extension host, server) is gone, or it
   * belongs to a server install of a commit no window runs: since when it has been seen so. Live
   * only, never stored.
   */
  leftBehindSince?: Millis | undefined;
  /** Why it is left behind, with `leftBehindSince`. */
  leftBehindReason?: LeftBehindReason | undefined;
}

/** `ancestor-gone`: its VS Code parent went; `commit-gone`: its server's commit is no window's any more. */
export const LEFT_BEHIND_REASONS = ['ancestor-gone', 'commit-gone'] as const;
export type LeftBehindReason = (typeof LEFT_BEHIND_REASONS)[number];

/** One extension as a window's extension host knows it (`vscode.extensions.all`). */
export interface WindowExtension {
  id: string;
  /** Display name ('' when it has none: the id stands for it then). */
  name: string;
  version: string;
  /** `extensionPath`: absolute. */
  path: string;
}

/**
 * What only one window can see, sent by its extension to the recorder over the worker protocol and
 * the live feed (`setWindowContext`), so the one recorder labels every window's processes.
 */
export interface WindowContext {
  /** The window's extension host: `process.pid` in the extension. */
  extensionHostPid: number;
  /** `vscode.workspace.name`, '' when no folder is open. */
  workspace: string;
  /** `vscode.env.appRoot`: built-in extensions and VS Code's own scripts lie under it. */
  appRoot: string;
  /** `vscode.env.appName` and `vscode.version`. */
  appName: string;
  version: string;
  /** The VS Code commit, '' when unknown. */
  commit: string;
  /** Shells of `vscode.window.terminals` (processId, name). */
  terminals: { pid: number; name: string }[];
  /** Running tasks (`onDidStartTaskProcess`). */
  tasks: { pid: number; label: string }[];
  extensions: WindowExtension[];
}

export type LoadGroupBy = 'extension' | 'role';

export interface LoadByGroupQuery {
  from: Millis;
  to: Millis;
  by: LoadGroupBy;
  maxPoints: number;
  /** Most groups returned (by average CPU, then peak memory); the rest are summed into 'other'. */
  limit: number;
}

export interface LoadGroup {
  /** Extension id, or role kind; 'other' for the rest of the processes that have a role. */
  key: string;
  /** Display name (the extension's name, or the role kind). */
  label: string;
  /** Summed over the group's processes per bucket: CPU % of one core, RSS bytes. */
  cpu: SeriesValues;
  rssBytes: SeriesValues;
  /** Over the range: average of the summed CPU, its peak, the peak of the summed memory. */
  cpuAvg: number;
  cpuMax: number;
  rssMaxBytes: number;
  /** How many distinct processes contributed. */
  processes: number;
}

export interface LoadByGroupResult {
  from: Millis;
  to: Millis;
  tier: Tier;
  bucketMs: number;
  t: Millis[];
  by: LoadGroupBy;
  /** Highest average CPU first. */
  groups: LoadGroup[];
}

// ---------------------------------------------------------------------------------------------
// Queries

export type Tier = 'raw' | '1m' | '1h';

export interface HistoryQuery {
  /** Metric names from `metrics.ts` (e.g. 'cpu.total', 'mem.used', 'core.0.total', 'net.rx'). */
  metrics: string[];
  from: Millis;
  to: Millis;
  maxPoints: number;
}

/** Values aligned with `t`; null where nothing was recorded (a gap: the monitor was not running). */
export interface SeriesValues {
  avg: (number | null)[];
  min: (number | null)[];
  max: (number | null)[];
}

export interface HistoryResult {
  from: Millis;
  to: Millis;
  tier: Tier;
  bucketMs: number;
  /** Bucket start times. */
  t: Millis[];
  series: Record<string, SeriesValues>;
}

export type ProcessSelector = { kind: 'process'; pid: number; startTime: Millis } | { kind: 'name'; name: string };

export interface ProcessHistoryQuery {
  select: ProcessSelector;
  from: Millis;
  to: Millis;
  maxPoints: number;
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  startTime: Millis;
  name: string;
  command: string;
  user: string;
  firstSeen: Millis;
  lastSeen: Millis;
  /** The VS Code role it was recorded with (stored with the process). */
  role?: ProcessRole | undefined;
}

export interface ProcessHistoryResult {
  from: Millis;
  to: Millis;
  tier: Tier;
  bucketMs: number;
  t: Millis[];
  /** Summed over the selected processes per bucket: CPU % of one core, RSS bytes. */
  cpu: SeriesValues;
  rssBytes: SeriesValues;
  /**
   * Disk I/O summed the same way, bytes/s (/proc/<pid>/io). null where no matched process had a
   * readable io file (unknown, never a fake 0); max is of per-interval rates in rollups too.
   */
  readBps: SeriesValues;
  writeBps: SeriesValues;
  /** The processes that matched, with first/last seen for start/exit marks. */
  processes: ProcessInfo[];
}

export interface TopProcessesQuery {
  from: Millis;
  to: Millis;
  by: 'cpu' | 'memory';
  limit: number;
}

export interface TopProcessRow {
  pid: number;
  startTime: Millis;
  name: string;
  command: string;
  user: string;
  cpuAvg: number;
  cpuMax: number;
  rssAvgBytes: number;
  rssMaxBytes: number;
  samples: number;
  role?: ProcessRole | undefined;
}

export interface MetricSummary {
  min: number;
  max: number;
  avg: number;
}

export interface SummaryResult {
  from: Millis;
  to: Millis;
  metrics: Record<string, MetricSummary>;
}

export interface TimedEvent {
  at: Millis;
  durationMs: number;
}

/** A write as Storage Health reports it: how long it took is known only to the process that did it. */
export interface WriteEvent {
  at: Millis;
  /** null: read off the file, written by a recorder that has stopped or is another process. */
  durationMs: number | null;
}

export interface RetentionPolicy {
  rawSystemHours: number;
  rawProcessMinutes: number;
  minuteDays: number;
  hourDays: number;
  topNMinute: number;
  topNHour: number;
  maxDatabaseMB: number;
}

/** Journal records that could not be replayed, and what became of that journal. */
export interface JournalDamage {
  /** How many records were dropped (0 when unknown, e.g. a damaged header). */
  records: number;
  reason: string;
  /** Where the recorder kept a copy of the journal; null for a read-only reader, or when the copy failed. */
  keptAs: string | null;
}

export interface HealthReport {
  databasePath: string;
  databaseSizeBytes: number;
  /** In-memory size of the live database (what the next checkpoint will write). */
  liveSizeBytes: number;
  capBytes: number;
  rowCounts: Record<string, number>;
  oldestSample: Millis | null;
  newestSample: Millis | null;
  retention: RetentionPolicy;
  lastFlush: WriteEvent | null;
  lastCheckpoint: WriteEvent | null;
  journalBytes: number;
  samplesDropped: number;
  /** What of the journal could not be replayed when this copy of the database was opened or followed it. */
  journalDamage?: JournalDamage | null;
  role: RecorderRole;
  recording: boolean;
  /** The recorder's own cost (cost/ownCost.ts). */
  self: OwnCost;
  /** How often the recorder samples, and whether the cost governor stretched the process interval; null when nobody records. */
  sampling?: SamplingState | null;
  /** The limits of the cgroup the recorder runs in, when it has any (a dev container, a pod). */
  container?: CgroupLimits | undefined;
}

/** The monitor's own cost, each figure labelled by what it measures. */
export interface OwnCost {
  /** CPU of `cpuScope`, percent of one core, averaged since the monitor started. */
  cpuPercent: number;
  /** Whose CPU: the backend's worker thread (VS Code), the main thread (the CLI), or the whole process where no thread figure exists. */
  cpuScope: 'worker-thread' | 'main-thread' | 'process';
  /** The monitor thread's V8 heap in use. */
  heapBytes: number;
  /** sql.js's WebAssembly memory (the database lives there). */
  wasmBytes: number;
  /** Resident memory of the whole process (in VS Code: the extension host, every extension in it). */
  rssBytes: number;
}

/** The sampling intervals in force (recorder/governor.ts). */
export interface SamplingState {
  intervalMs: number;
  /** How often system metrics are sampled: intervalMs unless the governor stretched it (after processes). */
  systemIntervalMs: number;
  /** How often processes are sampled: intervalMs unless the governor stretched it. */
  processIntervalMs: number;
  /** The samplers' estimated cost at the configured interval, percent of one core; null until measured. */
  costPercent: number | null;
  /** vitals.governor.maxCpuPercent. */
  budgetPercent: number;
  governed: boolean;
}

export type RecorderRole = 'recorder' | 'viewer' | 'stopped';

export type ExportFormat = 'csv' | 'json' | 'ndjson' | 'sqlite';
/** `all` (system and processes in one file) only for `sqlite`, whose tables hold both. */
export type ExportScope = { kind: 'system' } | { kind: 'processes' } | { kind: 'pid'; pid: number } | { kind: 'events' } | { kind: 'all' };

export interface ExportRequest {
  from: Millis;
  to: Millis;
  format: ExportFormat;
  scope: ExportScope;
  outPath: string;
}

export interface ExportResult {
  outPath: string;
  rows: number;
  bytes: number;
}

/** An agent tool's answer (src/backend/tools/): compact text, or why the call was refused. */
export interface ToolResult {
  text: string;
  isError: boolean;
}
