// The dashboard's side of the conversation with the extension: what the extension last said
// (static info, backend status, metric names, the latest sample), how well connected we are, and
// the dispatch of each pushed message to the app. No DOM here beyond the page's visibility: the app
// decides what a message means for the screen.

import type { BackendStatus, StaticInfo } from '../../src/backend/index';
import type { DashboardMethod, DashboardParams, DashboardResult, DashboardTarget, LiveSample } from '../../src/shared/dashboardProtocol';
import { RequestError, Rpc, type PushMessage } from './rpc';
import { errorText } from '../../src/shared/errors';

const SLOW_BACKEND_MS = 8_000;

/** 'slow': no init after SLOW_BACKEND_MS; 'restarting': a request was refused as not ready. */
export type Connection = 'connecting' | 'slow' | 'ready' | 'restarting';

/** An init arrived (the first, or again after a resync or when the panel is shown again). */
export interface InitEvent {
  first: boolean;
  metricsChanged: boolean;
  /** Where to go, if anywhere: the init's own target or a 'show' that came before the first init. */
  target: DashboardTarget | null;
}

/** What the loop asks of the app. */
interface LoopEvents {
  onInit(e: InitEvent): void;
  onLive(sample: LiveSample): void;
  /** The backend's status changed; `recovered`: it was down and is back, so reload the data. */
  onStatus(recovered: boolean): void;
  /** The extension asks to show a tab or process (after the first init; before it, it is queued). */
  onShow(target: DashboardTarget): void;
  onConnection(): void;
  onRequestFailed(text: string): void;
}

export class MessageLoop {
  info: StaticInfo | null = null;
  status: BackendStatus | null = null;
  /** Metric names the backend has (cores, mounts, interfaces). */
  metrics: string[] = [];
  latest: LiveSample | null = null;
  connection: Connection = 'connecting';
  initialized = false;

  private readonly rpc: Rpc;
  /** A 'show' that came before the first init. */
  private queuedTarget: DashboardTarget | null = null;

  constructor(
    api: VsCodeWebviewApi,
    private readonly events: LoopEvents,
  ) {
    this.rpc = new Rpc(api, (m) => this.onPush(m));
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.initialized) this.rpc.send({ kind: 'ready' });
    });
  }

  start(): void {
    this.rpc.send({ kind: 'ready' });
    window.setTimeout(() => {
      if (this.connection === 'connecting') {
        this.connection = 'slow';
        this.events.onConnection();
      }
    }, SLOW_BACKEND_MS);
  }

  /** See AppContext.request: failures are reported through the events and come back as null. */
  async request<M extends DashboardMethod>(method: M, params: DashboardParams<M>): Promise<DashboardResult<M> | null> {
    try {
      const r = await this.rpc.request(method, params);
      if (this.connection === 'restarting') {
        this.connection = 'ready';
        this.events.onConnection();
      }
      return r;
    } catch (err) {
      if (err instanceof RequestError && err.code === 'not-ready') {
        this.connection = 'restarting';
        this.events.onConnection();
      } else {
        this.rpc.log('warn', `${method} failed: ${errorText(err)}`);
        this.events.onRequestFailed(
          `${method === 'history' || method === 'processHistory' ? 'Loading the charts' : `The ${method} request`} failed: ${errorText(err)}`,
        );
      }
      return null;
    }
  }

  private onPush(msg: PushMessage): void {
    switch (msg.kind) {
      case 'init': {
        const first = !this.initialized;
        this.info = msg.info;
        this.status = msg.status;
        this.latest = msg.latest;
        const metricsChanged = msg.metrics.join('\n') !== this.metrics.join('\n');
        this.metrics = msg.metrics;
        this.connection = 'ready';
        this.initialized = true;
        const target = msg.target ?? this.queuedTarget;
        this.queuedTarget = null;
        this.events.onInit({ first, metricsChanged, target });
        return;
      }
      case 'live':
        if (!this.initialized) return;
        this.latest = msg.sample;
        this.events.onLive(msg.sample);
        return;
      case 'status': {
        const wasDown = this.connection === 'restarting' || this.status === null || this.status.role === 'stopped';
        this.status = msg.status;
        if (this.connection === 'restarting' && msg.status.role !== 'stopped') this.connection = 'ready';
        this.events.onStatus(wasDown && msg.status.role !== 'stopped' && this.initialized);
        return;
      }
      case 'show':
        if (!this.initialized) {
          this.queuedTarget = msg.target;
          return;
        }
        this.events.onShow(msg.target);
        return;
      case 'resync':
        // The panel was hidden and shown again while this document survived: start over from init.
        if (this.initialized) this.rpc.send({ kind: 'ready' });
        return;
    }
  }
}
