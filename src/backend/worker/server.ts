// Serves the worker protocol over a message port: validates each request, maps it onto the
// BackendService (the Monitor), and answers with a value or an error value (thrown errors become
// protocol errors through toProtocolError). Nothing thrown here escapes to the host.
import type { MonitorConfig } from '../config';
import { Monitor } from '../monitor';
import type { BackendService } from '../service';
import { parseToWorker, type BackendStatus, type FromWorker, type LogLevel, type RequestMessage } from '../protocol';
import type { Snapshot } from '../types';
import { int, isRecord } from '../../shared/check';
import { BadRequestError, errorDetail, NotReadyError, toProtocolError } from '../../shared/errors';

export interface Port {
  postMessage(msg: FromWorker): void;
  on(event: 'message', listener: (msg: unknown) => void): void;
}

export class WorkerServer {
  private monitor: BackendService | undefined;
  private opening: Promise<BackendService> | undefined;
  private readonly aborts = new Map<number, AbortController>();

  constructor(private readonly port: Port) {
    port.on('message', (msg) => void this.onMessage(msg));
  }

  private post(msg: FromWorker): void {
    this.port.postMessage(msg);
  }

  log(level: LogLevel, message: string): void {
    this.post({ kind: 'event', event: 'log', level, message });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = parseToWorker(raw);
    if (!parsed.ok) {
      this.log('warn', `Ignored a malformed request: ${parsed.error}`);
      // Answered when it says which request it is, so the sender does not wait forever.
      if (isRecord(raw) && int(raw.id, 'id') === undefined)
        this.post({ kind: 'response', inReplyTo: raw.id as number, ok: false, error: toProtocolError(new BadRequestError(parsed.error)) });
      return;
    }
    const req = parsed.value;
    try {
      const result = await this.handle(req);
      this.post({ kind: 'response', inReplyTo: req.id, ok: true, result });
    } catch (e) {
      const error = toProtocolError(e);
      if (error.code === 'internal') this.log('error', `${req.method} failed: ${errorDetail(e)}`);
      this.post({ kind: 'response', inReplyTo: req.id, ok: false, error });
    }
  }

  private ready(): BackendService {
    if (!this.monitor) throw new NotReadyError('The backend is still starting.');
    return this.monitor;
  }

  private async init(dbPath: string, config: MonitorConfig): Promise<BackendService> {
    this.opening ??= Monitor.open({
      dbPath,
      config,
      sink: {
        snapshot: (s: Snapshot) => this.post({ kind: 'event', event: 'snapshot', snapshot: s }),
        status: (s: BackendStatus) => this.post({ kind: 'event', event: 'status', status: s }),
        log: (level, message) => this.log(level, message),
        problem: (key, message, severity) => this.post({ kind: 'event', event: 'problem', key, message, severity }),
        alert: (change) => this.post({ kind: 'event', event: 'alert', ...change }),
      },
    });
    this.monitor = await this.opening;
    return this.monitor;
  }

  private async handle(req: RequestMessage): Promise<unknown> {
    switch (req.method) {
      case 'init': {
        const m = await this.init(req.params.dbPath, req.params.config);
        return { status: m.status(), info: m.info };
      }
      case 'updateConfig':
        return this.ready().updateConfig(req.params.config);
      case 'setRecording':
        return this.ready().setRecording(req.params.enabled);
      case 'status':
        return this.ready().status();
      case 'history':
        return this.ready().history(req.params);
      case 'processHistory':
        return this.ready().processHistory(req.params);
      case 'topProcesses':
        return this.ready().topProcesses(req.params);
      case 'loadByGroup':
        return this.ready().loadByGroup(req.params);
      case 'setWindowContext':
        return this.ready().setWindowContext(req.params.context);
      case 'searchProcesses':
        return this.ready().searchProcesses(req.params.text, req.params.limit);
      case 'summary':
        return this.ready().summary(req.params.from, req.params.to, req.params.metrics);
      case 'health':
        return this.ready().healthForWindow();
      case 'alerts':
        return this.ready().alerts(req.params.from, req.params.to);
      case 'activeAlerts':
        return this.ready().activeAlerts();
      case 'snoozeAlert':
        return this.ready().snoozeAlert(req.params);
      case 'reportFocus':
        return this.ready().reportFocus(req.params.windowId, req.params.focused);
      case 'topAt':
        return this.ready().topAt(req.params);
      case 'tool':
        return this.ready().runTool(req.params.name, req.params.arguments);
      case 'export': {
        const abort = new AbortController();
        this.aborts.set(req.id, abort);
        try {
          return await this.ready().exportHistory(req.params, abort.signal, (done, total) =>
            this.post({ kind: 'event', event: 'progress', requestId: req.id, done, total }),
          );
        } finally {
          this.aborts.delete(req.id);
        }
      }
      case 'cancel': {
        const abort = this.aborts.get(req.params.requestId);
        abort?.abort();
        return { cancelled: abort !== undefined };
      }
      case 'clearHistory':
        return this.ready().clearHistory();
      case 'backupNow':
        return this.ready().backupNow();
      case 'listBackups':
        return this.ready().listBackups();
      case 'restore':
        return this.ready().restore(req.params.from);
      case 'shutdown':
        if (this.monitor) await this.monitor.close();
        return { flushed: this.monitor !== undefined };
    }
  }
}
