// What a chart shows, as plain data (no DOM, no uPlot): the Overview's definitions are built and
// tested from these.

import type { ValueUnit } from '../../src/shared/format';

export type ChartColor = 'blue' | 'red' | 'green' | 'yellow' | 'orange' | 'purple' | 'foreground' | { palette: number };

export interface SeriesSpec {
  label: string;
  color: ChartColor;
  width?: number;
  dash?: number[];
  /** Shade the area under the line. */
  fill?: boolean;
}

export interface ChartSpec {
  id: string;
  title: string;
  unit: ValueUnit;
  series: SeriesSpec[];
  /** A fixed top of the y axis (100 for percent of all cores); otherwise it follows the data. */
  yMax?: number;
  height?: number;
  /** Charts with the same key share the hover cursor. */
  syncKey: string;
}

export interface Mark {
  t: number;
  label: string;
  kind: 'start' | 'exit';
}

/** An alert event drawn on a chart: a shaded span with its rule's name. */
export interface Band {
  from: number;
  to: number;
  label: string;
  /** Still going: drawn stronger. */
  active: boolean;
}
