// The backend in one object: it samples every interval, publishes the snapshot, records it, and
// answers queries. The worker, the CLI and the tests all drive this same class. It only wires the
// parts in recorder/ together:
//
//   lockAccess    taking the lock, and whether this process still holds it before a write
//   roles         recorder ⇄ viewer, the live feed both ways
//   scheduler     the sampling timer
//   writePolicy   when to flush, retry, checkpoint and back up; problems reported once
//   status        the status a window shows
//   viewerStore   the store queries read (a viewer's follows the recorder's journal)
//   historyCommands  clear, back up, restore
//
// Every window runs one, all on the same database; one of them records (it holds `<db>.lock`, see
// storage/lock.ts), the others view: they do not sample, they show the recorder's snapshots from its
// live feed (viewer/feed.ts) and answer history queries from the file plus the journal, read-only.
import type { BackendService, BackendSink, ExportProgress } from './service';
import type { MonitorConfig } from './config';
import type { BackendStatus, BackupInfo, Params, Result } from './protocol';
import { exportHistory } from './queries/export';
import { history, summary } from './queries/history';
import { runTool } from './tools/run';
import { processHistory, searchProcesses, topProcesses } from './queries/processes';
import { loadByGroup } from './queries/loadByGroup';
import { healthReport } from './queries/health';
import { createSamplers, readStaticInfo, type Samplers } from './sampling';
import { listBackups, validateBackup } from './storage/backup';
import { RecorderLock } from './storage/lock';
import { loadSqlJs } from './storage/sqljs';
import type { Store } from './storage/store';
import type { FeedPeer, ForwardedMethod } from './viewer/feed';
import { backupNow, clearHistory, restoreBackup } from './recorder/historyCommands';
import { acquireAtStart, lockState, RecorderBusyError, staleAfterMs } from './recorder/lockAccess';
import { Roles } from './recorder/roles';
import { Scheduler } from './recorder/scheduler';
import { RecorderState } from './recorder/state';
import { statusOf } from './recorder/status';
import { queryStore } from './recorder/viewerStore';
import { WritePolicy } from './recorder/writePolicy';
import {
  systemClock,
  type Clock,
  type ExportRequest,
  type ExportResult,
  type HealthReport,
  type HistoryQuery,
  type HistoryResult,
  type LoadByGroupQuery,
  type LoadByGroupResult,
  type Millis,
  type ProcessHistoryQuery,
  type ProcessHistoryResult,
  type ProcessInfo,
  type Snapshot,
  type StaticInfo,
  type SummaryResult,
  type ToolResult,
  type TopProcessesQuery,
  type TopProcessRow,
  type WindowContext,
} from './types';
import { isMainThread } from 'node:worker_threads';
import { OwnCostMeter } from './cost/ownCost';
import { childrenMicros } from './cost/threadCpu';
import { errorText } from '../shared/errors';
import type { SelfFigures } from './metrics-endpoint/exposition';
import { MetricsDuty } from './metrics-endpoint/duty';
import { RoleTracker } from './vscode/tracker';
import { AlertDuty } from './alerts/duty';
import type { AlertChange, AlertEvent, SnoozeRequest, TopAtQuery, TopAtResult } from './alerts/types';
import { alertsBetween, openAlerts, topAt } from './queries/events';
import { version } from '../../package.json';

export interface MonitorOptions {
  dbPath: string;
  config: MonitorConfig;
  sink: BackendSink;
  clock?: Clock;
  samplers?: Samplers;
  info?: StaticInfo;
  /** Start the sampling timer (tests drive `tick()` themselves). Default true. */
  autoStart?: boolean;
  /** A valid SQLite file of another application: set it aside (extension) or refuse (CLI). */
  foreign?: 'set-aside' | 'refuse';
  /** Someone else records into the database: follow it as a viewer (default) or throw RecorderBusyError. */
  whenLocked?: 'view' | 'refuse';
  /** How often the recorder renews its lock and a viewer looks for a stale one. Default 1 s. */
  lockPollMs?: number;
  /** Monotonic milliseconds for lock staleness (tests). */
  monotonic?: () => number;
}

const LOCK_POLL_MS = 1_000;

export class Monitor implements BackendService {
  private lockTimer: NodeJS.Timeout | undefined;
  /** Created on the thread that samples (the worker in VS Code, the main thread in the CLI). */
  private readonly cost = new OwnCostMeter();
  private readonly scheduler: Scheduler;
  private readonly policy: WritePolicy;
  private readonly roles: Roles;
  private readonly metrics: MetricsDuty;
  private readonly roleTracker: RoleTracker;
  private readonly alertDuty: AlertDuty;
  /** The store whose left-open events were ended (recoverAlerts), once per store opened for recording. */
  private alertsRecoveredFor: Store | undefined;

  private constructor(
    private readonly state: RecorderState,
    readonly info: StaticInfo,
    private readonly samplers: Samplers,
  ) {
    const s = state;
    // The systeminformation samplers run child processes (ps and the like): their CPU is the samplers' too.
    const spawns = samplers.kind === 'systeminformation';
    this.roleTracker = new RoleTracker({ procRoot: samplers.procRoot ?? null });
    this.scheduler = new Scheduler({
      clock: s.clock,
      samplers,
      intervalMs: () => s.config.sampleIntervalMs,
      active: () => !s.closed && s.role === 'recorder',
      deliver: (snapshot) => this.deliver(snapshot),
      log: (level, message) => s.sink.log(level, message),
      cpuMicros: spawns ? () => this.cost.cpuMicros() + childrenMicros() : () => this.cost.cpuMicros(),
      budgetPercent: () => s.config.governorMaxCpuPercent,
    });
    this.policy = new WritePolicy({
      dbPath: s.dbPath,
      config: () => s.config,
      lockState: () => lockState(s.lock),
      lost: () => this.roles.stepDown(),
      problems: s.problems,
      log: (level, message) => s.sink.log(level, message),
    });
    this.metrics = new MetricsDuty({
      problems: s.problems,
      log: (level, message) => s.sink.log(level, message),
      build: { version, platform: process.platform },
    });
    this.alertDuty = new AlertDuty(s.clock, s.config.alerts);
    this.roles = new Roles(s, {
      scheduler: this.scheduler,
      policy: this.policy,
      serve: (method, params, peer) => this.serveForwarded(method, params, peer),
      peerGone: (peer) => s.windowContexts.drop(`feed:${peer}`),
      connected: () => this.sendOwnContext(),
      status: () => this.status(),
    });
  }

  static async open(options: MonitorOptions): Promise<Monitor> {
    const clock = options.clock ?? systemClock;
    const samplers =
      options.samplers ?? createSamplers({ commandLine: options.config.commandLine, gpuIntervalMs: options.config.gpuIntervalMs });
    const info = options.info ?? (await readStaticInfo());
    const SQL = await loadSqlJs();
    const lock = new RecorderLock({
      dbPath: options.dbPath,
      staleMs: staleAfterMs(options.config.sampleIntervalMs),
      now: () => clock.now(),
      monotonic: options.monotonic,
    });
    const state = new RecorderState(options.dbPath, SQL, options.sink, clock, lock, options.config, options.foreign ?? 'set-aside');
    const monitor = new Monitor(state, info, samplers);
    const acquired = acquireAtStart(lock, options.dbPath, (level, message) => options.sink.log(level, message));
    if (!acquired && options.whenLocked === 'refuse') throw new RecorderBusyError(options.dbPath, lock.owner());
    try {
      if (acquired) await monitor.roles.becomeRecorder();
      else monitor.roles.becomeViewer();
    } catch (e) {
      lock.release();
      throw e;
    }
    // Role changes (a takeover, a step down) happen on this timer: the metrics endpoint follows them.
    monitor.lockTimer = setInterval(
      () => void monitor.roles.onLockTimer().then(() => monitor.syncMetrics()),
      options.lockPollMs ?? LOCK_POLL_MS,
    );
    void monitor.syncMetrics();
    monitor.lockTimer.unref?.();
    if (options.autoStart ?? true) monitor.start();
    return monitor;
  }

  get dbPath(): string {
    return this.state.dbPath;
  }

  get latest(): Snapshot | undefined {
    return this.state.latest;
  }

  /** Serves `config.metrics` while this Monitor records, nothing otherwise (metrics-endpoint/duty.ts). */
  syncMetrics(): Promise<void> {
    const s = this.state;
    return this.metrics.sync(!s.closed && s.role === 'recorder' ? s.config.metrics : null);
  }

  start(): void {
    this.scheduler.start();
  }

  /** One interval: sample, publish, record, and flush/checkpoint when due. */
  tick(): Promise<Snapshot | undefined> {
    return this.scheduler.tick();
  }

  private deliver(snapshot: Snapshot): void {
    const s = this.state;
    // Before anything sees it: every window, the store and the endpoint get the roles.
    this.roleTracker.apply(snapshot.processes, s.windowContexts, snapshot.t);
    s.latest = snapshot;
    // The rules run here, in the recorder only: two windows never raise the same alert twice.
    const alerts = this.alertDuty.step(snapshot);
    if (s.recording && s.store) {
      if (this.alertsRecoveredFor !== s.store) this.recoverAlerts(s.store);
      s.store.record(snapshot);
      // In the same flush as the interval that raised or ended them.
      for (const change of alerts) s.store.recordAlert(change.alert, snapshot.t);
      this.policy.afterRecord(s.store, snapshot.t);
    }
    s.sink.snapshot(snapshot);
    this.roles.broadcast(snapshot);
    for (const change of alerts) this.announceAlert(change);
    this.metrics.publish(snapshot, () => this.selfFigures());
  }

  /**
   * Events a recorder left open (it crashed or was killed while they were active) end where its
   * samples end: this recorder's engine starts afresh and would never end them.
   */
  private recoverAlerts(store: Store): void {
    this.alertsRecoveredFor = store;
    const active = new Set(this.alertDuty.activeAlerts().map((a) => a.id));
    const lastSample = store.db.exec('SELECT max(t) FROM sys_raw')[0]?.values[0]?.[0];
    for (const e of openAlerts(store))
      if (!active.has(e.id)) store.recordAlert({ ...e, end: Math.max(e.start, Number(lastSample ?? e.start)) }, this.state.clock.now());
  }

  private announceAlert(change: AlertChange): void {
    this.state.sink.alert?.(change);
    this.roles.broadcastAlert(change);
  }

  private async serveForwarded<M extends ForwardedMethod>(method: M, params: Params<M>, peer: FeedPeer): Promise<Result<M>> {
    switch (method) {
      case 'setWindowContext':
        this.state.windowContexts.set(`feed:${peer}`, (params as Params<'setWindowContext'>).context);
        return { windows: this.state.windowContexts.size } as Result<M>;
      case 'clearHistory':
        return (await this.clearHistory()) as Result<M>;
      case 'backupNow':
        return (await this.backupNow()) as Result<M>;
      case 'restore':
        return (await this.restore((params as Params<'restore'>).from)) as Result<M>;
      case 'status':
        return this.status() as Result<M>;
      case 'health':
        return this.health() as Result<M>;
      case 'activeAlerts':
        return this.alertDuty.activeAlerts() as Result<M>;
      case 'snoozeAlert':
        return { snoozed: this.alertDuty.snooze(params as Params<'snoozeAlert'>) } as Result<M>;
      case 'reportFocus': {
        const p = params as Params<'reportFocus'>;
        return { notify: this.alertDuty.reportFocus(p.windowId, p.focused) } as Result<M>;
      }
    }
    throw new Error(`unknown method ${String(method)}`);
  }

  status(): BackendStatus {
    return statusOf(this.state);
  }

  updateConfig(config: MonitorConfig): BackendStatus {
    const s = this.state;
    const old = s.config;
    s.config = config;
    s.lock.staleMs = staleAfterMs(config.sampleIntervalMs);
    this.alertDuty.config = config.alerts;
    if (config.commandLine !== old.commandLine) this.samplers.processes.setCommandLineMode(config.commandLine);
    if (config.gpuIntervalMs !== old.gpuIntervalMs) this.samplers.extras?.gpu?.setIntervalMs(config.gpuIntervalMs);
    if (s.store && s.store.mode === 'record') {
      s.store.retention = config.retention;
      s.store.writeQueueLimit = config.writeQueueLimit;
    }
    if (config.sampleIntervalMs !== old.sampleIntervalMs) this.scheduler.reschedule();
    void this.syncMetrics();
    const status = this.status();
    s.sink.status(status);
    return status;
  }

  setRecording(enabled: boolean): BackendStatus {
    return this.updateConfig({ ...this.state.config, recording: enabled });
  }

  private get interval(): number {
    return this.state.config.sampleIntervalMs;
  }

  history(q: HistoryQuery): HistoryResult {
    return history(queryStore(this.state), q, this.interval);
  }

  processHistory(q: ProcessHistoryQuery): ProcessHistoryResult {
    return processHistory(queryStore(this.state), q, this.interval);
  }

  topProcesses(q: TopProcessesQuery): TopProcessRow[] {
    return topProcesses(queryStore(this.state), q, this.interval);
  }

  loadByGroup(q: LoadByGroupQuery): LoadByGroupResult {
    return loadByGroup(queryStore(this.state), q, this.interval);
  }

  async setWindowContext(context: WindowContext): Promise<{ windows: number }> {
    const s = this.state;
    s.ownContext = context;
    s.windowContexts.set('self', context);
    if (s.role === 'viewer' && this.roles.connected) return this.roles.forward('setWindowContext', { context });
    // A viewer not connected yet sends it when it connects (Roles → sendOwnContext).
    return { windows: s.role === 'recorder' ? s.windowContexts.size : 0 };
  }

  /** A viewer (re)connected to the recorder's feed: the recorder learns this window's context. */
  private sendOwnContext(): void {
    const context = this.state.ownContext;
    if (!context) return;
    this.roles
      .forward('setWindowContext', { context })
      .catch((e: unknown) => this.state.sink.log('debug', `The recorder did not take this window's context: ${errorText(e)}`));
  }

  searchProcesses(text: string, limit: number): ProcessInfo[] {
    return searchProcesses(queryStore(this.state), text, limit);
  }

  summary(from: Millis, to: Millis, metrics: string[]): SummaryResult {
    return summary(queryStore(this.state), from, to, metrics, this.interval);
  }

  alerts(from: Millis, to: Millis): AlertEvent[] {
    return alertsBetween(queryStore(this.state), from, to);
  }

  async activeAlerts(): Promise<AlertEvent[]> {
    if (this.state.role === 'viewer') return this.roles.forward('activeAlerts', {});
    return this.alertDuty.activeAlerts();
  }

  async snoozeAlert(req: SnoozeRequest): Promise<{ snoozed: boolean }> {
    if (this.state.role === 'viewer') return this.roles.forward('snoozeAlert', req);
    return { snoozed: this.alertDuty.snooze(req) };
  }

  async reportFocus(windowId: string, focused: boolean): Promise<{ notify: string | null }> {
    this.alertDuty.setOwnWindow(windowId);
    if (this.state.role === 'viewer') return this.roles.forward('reportFocus', { windowId, focused });
    return { notify: this.alertDuty.reportFocus(windowId, focused) };
  }

  topAt(q: TopAtQuery): TopAtResult {
    return topAt(queryStore(this.state), q, this.interval);
  }

  /**
   * The recorder's own figures for the metrics endpoint: cheap (a stat of two files), read once per
   * snapshot. CPU is the whole process for the CLI; in a VS Code window the backend shares the
   * extension host process with every other extension, so it is the backend's worker thread's CPU
   * there (cost/threadCpu.ts, the figure Storage Health shows).
   */
  selfFigures(): SelfFigures {
    const store = this.state.store;
    const cpu = process.cpuUsage();
    return {
      cpuSecondsTotal: isMainThread ? (cpu.user + cpu.system) / 1e6 : this.cost.cpuMicros() / 1e6,
      rssBytes: process.memoryUsage.rss(),
      databaseBytes: store ? store.fileSizeBytes + store.journal.size() : 0,
      samplesDroppedTotal: store?.samplesDropped ?? 0,
      lastCheckpointAt: store?.lastCheckpoint?.at ?? null,
    };
  }

  runTool(name: string, args: unknown): Promise<ToolResult> {
    // A viewer follows the recorder's journal before each call, as for every query (queryStore).
    return runTool(name, args, () =>
      Promise.resolve({
        store: queryStore(this.state),
        sampleIntervalMs: this.interval,
        now: this.state.clock.now(),
        health: () => this.healthForWindow(),
      }),
    );
  }

  health(): HealthReport {
    const s = this.state;
    let store: Store | undefined;
    try {
      store = s.role === 'stopped' ? undefined : queryStore(s);
    } catch {
      store = undefined;
    }
    const report = healthReport(store, s.dbPath, s.config, {
      role: s.role,
      recording: s.recording,
      // nvidia-smi's spawns are ours too, though they run beside the tick (their time, not a thread's CPU).
      self: this.cost.report(this.samplers.extras?.gpu?.spentMs ?? 0),
      sampling: this.scheduler.sampling,
    });
    const container = s.latest?.system.cgroup;
    return container ? { ...report, container } : report;
  }

  /**
   * Storage health as the window shows it. In a viewer it is the recorder's report (its flushes,
   * checkpoints, drops and cost are what Storage Health is about), asked over the feed; the viewer's
   * own view of the file when the recorder cannot be reached.
   */
  async healthForWindow(): Promise<HealthReport> {
    if (this.state.role === 'viewer' && this.roles.connected) {
      try {
        return { ...(await this.roles.forward('health', {})), role: 'viewer' };
      } catch (e) {
        this.state.sink.log('debug', `The recorder's health report was not available: ${errorText(e)}`);
      }
    }
    return this.health();
  }

  /** The export checks its target and cleans up after itself (queries/export.ts). */
  async exportHistory(req: ExportRequest, signal?: AbortSignal, progress?: ExportProgress): Promise<ExportResult> {
    return exportHistory(queryStore(this.state), req, this.interval, signal, progress);
  }

  async clearHistory(): Promise<BackendStatus> {
    if (this.state.role === 'viewer') {
      await this.roles.forward('clearHistory', {});
      return this.status();
    }
    clearHistory(this.state, this.policy);
    return this.announceStatus();
  }

  async backupNow(): Promise<BackupInfo> {
    if (this.state.role === 'viewer') return this.roles.forward('backupNow', {});
    return backupNow(this.state, this.policy);
  }

  listBackups(): Promise<BackupInfo[]> {
    return Promise.resolve(listBackups(this.state.dbPath));
  }

  /** Replaces the history with a backup, validated first (opens, integrity check, schema). */
  async restore(from: string): Promise<BackendStatus> {
    const bytes = validateBackup(this.state.SQL, from);
    if (this.state.role === 'viewer') {
      await this.roles.forward('restore', { from });
      return this.status();
    }
    restoreBackup(this.state, this.policy, from, bytes);
    return this.announceStatus();
  }

  private announceStatus(): BackendStatus {
    const status = this.status();
    this.state.sink.status(status);
    return status;
  }

  /** Stops sampling, writes the last interval and checkpoints. Safe to call twice. */
  async close(): Promise<void> {
    const s = this.state;
    if (s.closed) return;
    s.closed = true;
    this.scheduler.stop();
    if (this.lockTimer) clearInterval(this.lockTimer);
    this.lockTimer = undefined;
    await this.metrics.close();
    // Let a tick or a role change in progress finish before the final write.
    while (this.scheduler.ticking || this.roles.changingRole) await new Promise((r) => setTimeout(r, 5));
    const store = s.store;
    if (store && s.role === 'recorder' && lockState(s.lock) === 'ours') {
      // Active alerts end with the recorder: the next one starts its rules afresh.
      for (const change of this.alertDuty.endAll()) {
        if (s.recording) store.recordAlert(change.alert, s.clock.now());
        this.announceAlert(change);
      }
      this.policy.finalWrite(store, s.clock.now());
    }
    store?.close();
    s.store = undefined;
    await this.roles.close();
    // Last: a viewer that takes over now finds a complete file.
    s.lock.release();
    this.samplers.system.dispose();
    this.samplers.processes.dispose();
  }
}
