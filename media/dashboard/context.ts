// What the tabs share: the app's state and the ways to change it. Implemented by the App.

import type { BackendStatus, StaticInfo } from '../../src/backend/index';
import type { DashboardMethod, DashboardParams, DashboardResult, LiveSample } from '../../src/shared/dashboardProtocol';
import type { TimeWindow } from './range';
import type { ProcessChoice } from './series';
import type { PersistedState } from './state';
import type { Theme } from './theme';

export interface AppContext {
  readonly state: Readonly<PersistedState>;
  readonly theme: Theme;
  readonly info: StaticInfo | null;
  readonly status: BackendStatus | null;
  /** Metric names the backend has (cores, mounts, interfaces). */
  readonly metrics: readonly string[];
  readonly latest: LiveSample | null;
  /** The window on screen now: the zoom if any, else the picked range. */
  window(): TimeWindow;
  /** Streaming: live range and not zoomed. */
  isLive(): boolean;
  /**
   * Asks the extension; failures are reported in the app's banner (backend restarting) and come
   * back as null so views only deal with "got it" or "did not".
   */
  request<M extends DashboardMethod>(method: M, params: DashboardParams<M>): Promise<DashboardResult<M> | null>;
  zoom(w: TimeWindow): void;
  resetZoom(): void;
  /** The Process tab on `choice`; with `range`, that window (an event and the time around it). */
  openProcess(choice: ProcessChoice, range?: TimeWindow): void;
  update(patch: Partial<PersistedState>): void;
  setRecording(enabled: boolean): void;
}

export interface TabView {
  readonly el: HTMLElement;
  /** The tab became visible or its inputs changed: (re)load what it shows. */
  load(): void;
  /** The tab was hidden: stop timers. */
  pause(): void;
  onLive(sample: LiveSample): void;
  onTheme(): void;
  /** New metric names (cores, mounts) after an init. */
  onMetrics?(): void;
}
