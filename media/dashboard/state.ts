// What the webview keeps across reloads and hide/show (VS Code's getState/setState): the tab, the
// range, the zoom, the selected process, the search text. Whatever comes back is checked: an old or
// damaged state falls back to defaults field by field. Pure.

import type { DashboardTab } from '../../src/shared/dashboardProtocol';
import { isRecord } from '../../src/shared/check';
import { PRESETS, type Preset, type RangeSpec, type TimeWindow } from './range';
import type { ProcessChoice } from './series';

export interface PersistedState {
  v: 1;
  tab: DashboardTab;
  range: RangeSpec;
  /** A drag-selected window inside the range; null shows the whole range. */
  zoom: TimeWindow | null;
  process: ProcessChoice | null;
  search: string;
  topBy: 'cpu' | 'memory';
}

export const DEFAULT_STATE: PersistedState = {
  v: 1,
  tab: 'overview',
  range: { kind: 'live' },
  zoom: null,
  process: null,
  search: '',
  topBy: 'cpu',
};

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function parseRange(v: unknown): RangeSpec | undefined {
  if (!isRecord(v)) return undefined;
  if (v.kind === 'live') return { kind: 'live' };
  if (v.kind === 'preset' && PRESETS.some((p) => p.preset === v.preset)) return { kind: 'preset', preset: v.preset as Preset };
  if (v.kind === 'custom' && finite(v.from) && finite(v.to) && v.from < v.to) return { kind: 'custom', from: v.from, to: v.to };
  return undefined;
}

function parseWindow(v: unknown): TimeWindow | null {
  return isRecord(v) && finite(v.from) && finite(v.to) && v.from < v.to ? { from: v.from, to: v.to } : null;
}

export function parseChoice(v: unknown): ProcessChoice | null {
  if (!isRecord(v) || typeof v.name !== 'string' || v.name === '') return null;
  if (v.kind === 'name') return { kind: 'name', name: v.name };
  if (v.kind === 'process' && Number.isSafeInteger(v.pid) && finite(v.startTime))
    return { kind: 'process', pid: v.pid as number, startTime: v.startTime, name: v.name };
  return null;
}

export function parseState(raw: unknown): PersistedState {
  if (!isRecord(raw)) return { ...DEFAULT_STATE };
  const tab =
    raw.tab === 'overview' || raw.tab === 'process' || raw.tab === 'events' || raw.tab === 'storage' ? raw.tab : DEFAULT_STATE.tab;
  return {
    v: 1,
    tab,
    range: parseRange(raw.range) ?? DEFAULT_STATE.range,
    zoom: parseWindow(raw.zoom),
    process: parseChoice(raw.process),
    search: typeof raw.search === 'string' ? raw.search.slice(0, 200) : '',
    topBy: raw.topBy === 'memory' ? 'memory' : 'cpu',
  };
}
