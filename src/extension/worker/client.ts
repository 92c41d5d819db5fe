// The extension's side of the backend worker: spawns `dist/backend-worker.js` in a worker thread,
// speaks the typed protocol (request ids, answers matched by `inReplyTo`, events), validates every
// message it receives, restarts a crashed worker with exponential backoff and performs the final
// flush on shutdown. It imports `vscode` for types only, so it is unit-tested against real workers.
// ~430 lines on purpose: the worker's lifecycle (start, crash, backoff, restart, shutdown) and the
// requests in flight across it are one state machine; request ids themselves are src/shared/requests.ts.

import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import {
  parseFromWorker,
  type AlertChange,
  type BackendStatus,
  type EventMessage,
  type Method,
  type MonitorConfig,
  type Params,
  type ProtocolError,
  type RequestMessage,
  type Result,
  type Snapshot,
  type StaticInfo,
} from '../../backend';
import type { WorkerConnection } from '../worker/connection';
import type { Logger } from '../log';
import { Emitter } from '../util/emitter';
import { realTimers, type Timers } from '../util/throttle';
import { errorText, NotReadyError, type ErrorCode } from '../../shared/errors';
import { RequestTracker } from '../../shared/requests';
import { isLogWorthy } from '../../shared/logThrottle';

export type ClientState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

/** The protocol's error codes, plus what can go wrong with the worker itself. */
export type WorkerErrorCode = ErrorCode | 'worker-exited' | 'shut-down' | 'timeout';

/**
 * Why a request to the worker failed: the worker's own answer (a protocol error, mapped here and
 * nowhere else on this side) or the worker going away.
 */
export class WorkerRequestError extends Error {
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
    readonly method?: Method,
  ) {
    super(message);
    this.name = 'WorkerRequestError';
  }

  static from(error: ProtocolError, method: Method): WorkerRequestError {
    return new WorkerRequestError(error.code, error.message, method);
  }
}

/** The backend is starting or restarting: the caller may try again shortly. */
export function isNotReady(err: unknown): boolean {
  return err instanceof NotReadyError || (err instanceof WorkerRequestError && (err.code === 'not-ready' || err.code === 'worker-exited'));
}

export function isCancelled(err: unknown): boolean {
  return err instanceof WorkerRequestError && err.code === 'cancelled';
}

/** 1 s, 2 s, 4 s … capped at 60 s. */
export function restartDelayMs(attempt: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attempt));
}

/** Methods whose result is a BackendStatus. */
const STATUS_METHODS: ReadonlySet<Method> = new Set<Method>(['status', 'updateConfig', 'setRecording', 'clearHistory', 'restore']);

/** A worker that stayed up this long before crashing is considered healthy: the backoff starts over. */
const HEALTHY_UPTIME_MS = 60_000;

export interface ClientOptions {
  workerPath: string;
  dbPath: string;
  config: MonitorConfig;
  log: Logger;
  /** Shows a message to the user. The client decides how often (once per key). */
  notify(severity: 'warning' | 'error', message: string): void;
  createWorker?: (path: string) => Worker;
  restartDelayMs?: (attempt: number) => number;
  timers?: Timers;
  /** How long the final flush may take before the worker is terminated anyway. */
  shutdownTimeoutMs?: number;
}

/** What the client keeps per request awaiting the worker's answer. */
interface Pending {
  method: Method;
  /** The worker it was sent to: only that worker's exit fails it. */
  worker: Worker;
  onProgress: ((done: number, total: number) => void) | undefined;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(err: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting; a rejection nobody awaits must not become an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

export class WorkerClient implements WorkerConnection, vscode.Disposable {
  private readonly snapshotEmitter = new Emitter<Snapshot>();
  private readonly statusEmitter = new Emitter<BackendStatus>();
  private readonly stateEmitter = new Emitter<ClientState>();
  private readonly alertEmitter = new Emitter<AlertChange>();
  readonly onSnapshot = this.snapshotEmitter.event;
  readonly onStatus = this.statusEmitter.event;
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onAlert = this.alertEmitter.event;

  lastSnapshot: Snapshot | undefined;
  lastStatus: BackendStatus | undefined;
  info: StaticInfo | undefined;

  private worker: Worker | undefined;
  private _state: ClientState = 'starting';
  private ready = deferred();
  private readonly requests = new RequestTracker<Pending>();
  private attempt = 0;
  private readyAt = 0;
  /** Why `init` was refused; requests fail with it instead of waiting forever. */
  private failure: Error | undefined;
  private restartTimer: unknown;
  private shutdownPromise: Promise<void> | undefined;
  private config: MonitorConfig;
  /** Pause/Resume Recording for this session; cleared when the recording setting itself changes. */
  private recordingOverride: boolean | undefined;
  private crashNotified = false;
  private readonly problemsShown = new Set<string>();
  private readonly malformedSeen = new Map<string, number>();
  private readonly timers: Timers;
  private restarts = 0;

  constructor(private readonly options: ClientOptions) {
    this.config = options.config;
    this.timers = options.timers ?? realTimers;
  }

  get state(): ClientState {
    return this._state;
  }

  /** How many times the worker was restarted after a crash (tests, logs). */
  get restartCount(): number {
    return this.restarts;
  }

  /** Spawns the worker and sends `init`; returns at once. */
  start(): void {
    if (this.worker || this.shutdownPromise) return;
    this.spawn();
  }

  request<M extends Method>(
    method: M,
    params: Params<M>,
    options?: { token?: vscode.CancellationToken; onProgress?: (done: number, total: number) => void },
  ): Promise<Result<M>> {
    if (this.shutdownPromise) return Promise.reject(new WorkerRequestError('shut-down', 'The Vitals backend has shut down.', method));
    if (this._state === 'restarting')
      return Promise.reject(
        new WorkerRequestError('worker-exited', 'The Vitals backend is restarting after a crash; try again in a moment.', method),
      );
    if (this._state === 'failed')
      return Promise.reject(this.failure ?? new WorkerRequestError('internal', 'The Vitals backend could not start.', method));
    if (options?.token?.isCancellationRequested) return Promise.reject(new WorkerRequestError('cancelled', 'Cancelled.', method));
    // The worker accepts requests only after `init`: queue behind it rather than answer "not ready".
    return this.ready.promise
      .then(() => {
        if (!this.worker) throw new WorkerRequestError('worker-exited', 'The Vitals backend is not running.', method);
        return this.send(this.worker, method, params, options);
      })
      .then((result) => {
        // Whatever returns the recorder's state is the newest state: views and context keys follow it.
        if (STATUS_METHODS.has(method)) this.setStatus(result as BackendStatus);
        return result;
      });
  }

  /** Applies new settings live; re-sent with `init` after a restart. */
  updateConfig(config: MonitorConfig): void {
    if (config.recording !== this.config.recording) this.recordingOverride = undefined;
    const changed = JSON.stringify(config) !== JSON.stringify(this.config);
    this.config = config;
    if (!changed || this._state !== 'ready' || !this.worker) return;
    this.send(this.worker, 'updateConfig', { config: this.effectiveConfig() }).then(
      (status) => this.setStatus(status),
      (err: unknown) => this.options.log.error('Applying the new Vitals settings failed:', err),
    );
  }

  /** How the command lines in snapshots were masked (`vitals.privacy.commandLine`), for texts that show them. */
  get commandLineMode(): MonitorConfig['commandLine'] {
    return this.config.commandLine;
  }

  /** Pause or resume recording for this session (the setting `vitals.recording.enabled` is left alone). */
  async setRecording(enabled: boolean): Promise<BackendStatus> {
    this.recordingOverride = enabled === this.config.recording ? undefined : enabled;
    return this.request('setRecording', { enabled });
  }

  /** Final flush, then the worker is terminated. Safe to call more than once; never rejects. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.doShutdown();
    return this.shutdownPromise;
  }

  dispose(): void {
    // VS Code disposes subscriptions right after calling deactivate() without waiting for it: this
    // must join the shutdown deactivate() started, not cut the final flush short.
    void this.shutdown();
  }

  // ------------------------------------------------------------------------------------------

  private effectiveConfig(): MonitorConfig {
    return { ...this.config, recording: this.recordingOverride ?? this.config.recording };
  }

  private setState(state: ClientState): void {
    if (this._state === state) return;
    this._state = state;
    this.stateEmitter.fire(state, (err) => this.options.log.error('A Vitals state listener failed:', err));
  }

  private setStatus(status: BackendStatus): void {
    this.lastStatus = status;
    this.statusEmitter.fire(status, (err) => this.options.log.error('A Vitals status listener failed:', err));
  }

  private spawn(): void {
    const { log } = this.options;
    this.setState('starting');
    let worker: Worker;
    try {
      worker = (this.options.createWorker ?? ((p: string) => new Worker(p)))(this.options.workerPath);
    } catch (err) {
      log.error(`Could not start the Vitals backend worker ${this.options.workerPath}:`, err);
      this.scheduleRestart(`could not start: ${String(err)}`);
      return;
    }
    this.worker = worker;
    worker.on('message', (m: unknown) => this.onMessage(worker, m));
    worker.on('messageerror', (err) => log.warn('A message from the Vitals backend could not be deserialized:', err));
    worker.on('error', (err) => {
      if (worker === this.worker) log.error('The Vitals backend worker threw:', err);
    });
    worker.on('exit', (code) => this.onExit(worker, code));

    const params = { dbPath: this.options.dbPath, config: this.effectiveConfig() };
    log.info(`Starting the Vitals backend (database ${params.dbPath}).`);
    this.send(worker, 'init', params).then(
      ({ status, info }) => {
        if (worker !== this.worker) return;
        this.info = info;
        this.readyAt = this.timers.now();
        log.info(`Vitals backend ready on ${info.hostname} (${info.os}); role ${status.role}${status.recording ? ', recording' : ''}.`);
        this.setStatus(status);
        this.setState('ready');
        this.ready.resolve();
        // Settings may have changed while init was in flight.
        if (JSON.stringify(params.config) !== JSON.stringify(this.effectiveConfig()))
          this.send(worker, 'updateConfig', { config: this.effectiveConfig() }).then(
            (s) => this.setStatus(s),
            (err: unknown) => log.error('Applying the Vitals settings failed:', err),
          );
      },
      (err: unknown) => {
        if (worker !== this.worker || this.shutdownPromise) return;
        if (err instanceof WorkerRequestError && err.code === 'worker-exited') return; // onExit handles it
        const message = errorText(err);
        log.error('The Vitals backend could not start:', err);
        this.failure = new WorkerRequestError('internal', `The Vitals backend could not start: ${message}`);
        this.ready.reject(this.failure);
        this.setState('failed');
        this.options.notify('error', `Vitals could not start its monitor: ${message}`);
        this.worker = undefined;
        void worker.terminate();
      },
    );
  }

  private send<M extends Method>(
    worker: Worker,
    method: M,
    params: Params<M>,
    options?: { token?: vscode.CancellationToken; onProgress?: (done: number, total: number) => void },
  ): Promise<Result<M>> {
    const { id, answer } = this.requests.open<Result<M>>({ method, worker, onProgress: options?.onProgress });
    // Cancelling asks the worker to stop; its answer ('cancelled') settles the request.
    this.requests.cancelWith(id, options?.token, () => {
      if (worker !== this.worker) return;
      this.options.log.debug(`Cancelling ${method} (request ${id}).`);
      this.send(worker, 'cancel', { requestId: id }).catch((err: unknown) => this.options.log.debug('cancel failed:', err));
    });
    try {
      worker.postMessage({ kind: 'request', id, method, params } as RequestMessage);
    } catch (err) {
      this.requests.reject(
        id,
        new WorkerRequestError('internal', `Could not send ${method} to the Vitals backend: ${String(err)}`, method),
      );
    }
    return answer;
  }

  private onMessage(worker: Worker, raw: unknown): void {
    if (worker !== this.worker) return;
    const parsed = parseFromWorker(raw);
    if (!parsed.ok) {
      this.reportMalformed(parsed.error);
      return;
    }
    const msg = parsed.value;
    if (msg.kind === 'response') {
      const p = this.requests.take(msg.inReplyTo);
      if (!p) {
        this.options.log.debug(`Dropped an answer to unknown request ${msg.inReplyTo}.`);
        return;
      }
      if (msg.ok) p.resolve(msg.result);
      else p.reject(WorkerRequestError.from(msg.error, p.context.method));
      return;
    }
    this.onEvent(msg);
  }

  private onEvent(msg: EventMessage): void {
    const { log } = this.options;
    switch (msg.event) {
      case 'snapshot':
        this.lastSnapshot = msg.snapshot;
        this.snapshotEmitter.fire(msg.snapshot, (err) => log.error('A Vitals snapshot listener failed:', err));
        return;
      case 'status':
        this.setStatus(msg.status);
        return;
      case 'log':
        log[msg.level](`[backend] ${msg.message}`);
        return;
      case 'problem':
        log[msg.severity === 'error' ? 'error' : 'warn'](`[backend] ${msg.key}: ${msg.message}`);
        if (this.problemsShown.has(msg.key)) return;
        this.problemsShown.add(msg.key);
        this.options.notify(msg.severity, msg.message);
        return;
      case 'progress':
        this.requests.context(msg.requestId)?.onProgress?.(msg.done, msg.total);
        return;
      case 'alert':
        this.alertEmitter.fire({ change: msg.change, alert: msg.alert, notify: msg.notify }, (err) =>
          log.error('A Vitals alert listener failed:', err),
        );
        return;
    }
  }

  /** Logged the first time and then at every power of ten, so a broken worker cannot flood the log. */
  private reportMalformed(error: string): void {
    const n = (this.malformedSeen.get(error) ?? 0) + 1;
    this.malformedSeen.set(error, n);
    if (isLogWorthy(n)) this.options.log.warn(`Dropped a malformed message from the Vitals backend (${error}; seen ${n}×).`);
  }

  private onExit(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    const gone = this.shutdownPromise
      ? new WorkerRequestError('shut-down', 'The Vitals backend has shut down.')
      : new WorkerRequestError('worker-exited', `The Vitals backend stopped unexpectedly (exit code ${code}); it is restarting.`);
    this.requests.rejectAll(
      (p) => new WorkerRequestError(gone.code, gone.message, p.method),
      (p) => p.worker === worker,
    );
    this.ready.reject(gone);
    if (this.shutdownPromise) return;
    this.options.log.error(`The Vitals backend worker exited unexpectedly with code ${code}.`);
    this.scheduleRestart(`exit code ${code}`);
  }

  private scheduleRestart(reason: string): void {
    if (this.readyAt && this.timers.now() - this.readyAt >= HEALTHY_UPTIME_MS) this.attempt = 0;
    this.readyAt = 0;
    const delay = (this.options.restartDelayMs ?? restartDelayMs)(this.attempt++);
    this.setState('restarting');
    this.ready = deferred();
    this.options.log.warn(`Restarting the Vitals backend in ${delay} ms (${reason}).`);
    if (!this.crashNotified) {
      this.crashNotified = true;
      this.options.notify('warning', 'The Vitals monitor stopped unexpectedly and is restarting. Details are in the Vitals log.');
    }
    this.restartTimer = this.timers.setTimeout(() => {
      this.restartTimer = undefined;
      if (this.shutdownPromise) return;
      this.restarts++;
      this.spawn();
    }, delay);
  }

  private async doShutdown(): Promise<void> {
    const { log } = this.options;
    if (this.restartTimer !== undefined) this.timers.clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const worker = this.worker;
    if (worker) {
      const timeoutMs = this.options.shutdownTimeoutMs ?? 4000;
      let timer: unknown;
      const timeout = new Promise<never>((_, reject) => {
        timer = this.timers.setTimeout(() => reject(new WorkerRequestError('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        // A worker still in init flushes nothing yet, but must not be cut off mid-write either.
        const flushed = await Promise.race([this.ready.promise.then(() => this.send(worker, 'shutdown', {})), timeout]);
        log.info(`Vitals backend shut down${flushed.flushed ? ' after a final flush' : ''}.`);
      } catch (err) {
        log.warn('The Vitals backend did not finish its final flush:', err);
      } finally {
        this.timers.clearTimeout(timer);
      }
      this.worker = undefined;
      this.requests.rejectAll((p) => new WorkerRequestError('shut-down', 'The Vitals backend has shut down.', p.method));
      await worker.terminate();
    }
    this.setState('stopped');
    this.snapshotEmitter.dispose();
    this.statusEmitter.dispose();
    this.stateEmitter.dispose();
    this.alertEmitter.dispose();
  }
}
