// Reading the Vitals dashboard (a webview: iframe.webview → #active-frame) the way a user sees it:
// which tab is selected, what the cards say, and whether each chart has drawn its data — judged
// from the pixels of the uPlot canvas in each series' own colour and from the legend's values.
import type { FrameLocator, Page } from 'playwright-core';
import { webviewContent } from '../harness';

export function dashboardFrame(page: Page): FrameLocator {
  return webviewContent(page);
}

export type SeriesReport = {
  label: string;
  /** The legend's value for the latest point ("22%", "1.3 GB"), "—" when it has none. */
  value: string;
  /** CSS colour of the series' stroke, from its legend marker. */
  color: string;
  /** Canvas pixels drawn in (about) that colour. */
  pixels: number;
};

export type ChartReport = {
  title: string;
  /** Shown instead of the chart when the range holds no data. */
  emptyShown: boolean;
  canvasWidth: number;
  canvasHeight: number;
  series: SeriesReport[];
};

/** Every chart in `panelSelector` (e.g. '#panel-overview'), read inside the webview. */
export async function readCharts(app: FrameLocator, panelSelector: string): Promise<ChartReport[]> {
  return app.locator(panelSelector).evaluate((panel) => {
    // (The element types come from the page; this file is compiled without the DOM library.)
    const style = (el: typeof panel) => el.ownerDocument.defaultView.getComputedStyle(el);
    const rgb = (css: string): [number, number, number] | null => {
      const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
      return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
    };
    return [...panel.querySelectorAll('figure.chart')].map((fig) => {
      const title = (fig.querySelector('.chart-title')?.textContent ?? '').trim();
      const empty = fig.querySelector('.chart-empty');
      const canvas = fig.querySelector('canvas');
      const ctx = canvas?.getContext('2d') ?? null;
      const image =
        canvas && ctx && canvas.width > 0 && canvas.height > 0 ? ctx.getImageData(0, 0, canvas.width, canvas.height).data : null;
      // Row 0 of uPlot's legend is the time axis.
      const rows = [...fig.querySelectorAll('.u-legend tr.u-series')].slice(1);
      const series = rows.map((tr) => {
        const marker = tr.querySelector('.u-marker');
        const color: string = marker ? style(marker).borderTopColor : '';
        const want = rgb(color);
        let pixels = 0;
        if (image && want) {
          for (let i = 0; i < image.length; i += 4) {
            if ((image[i + 3] ?? 0) < 200) continue;
            const d =
              Math.abs((image[i] ?? 0) - want[0]) + Math.abs((image[i + 1] ?? 0) - want[1]) + Math.abs((image[i + 2] ?? 0) - want[2]);
            if (d <= 48) pixels++;
          }
        }
        return {
          label: (tr.querySelector('.u-label')?.textContent ?? '').trim(),
          value: (tr.querySelector('.u-value')?.textContent ?? '').trim(),
          color,
          pixels,
        };
      });
      return {
        title,
        emptyShown: empty !== null && !empty.hidden && style(empty).display !== 'none',
        canvasWidth: canvas?.width ?? 0,
        canvasHeight: canvas?.height ?? 0,
        series,
      };
    });
  });
}

/** A legend value that is a figure ("0%", "1.3 GB", "512 B/s", "0.71"), not a dash. */
export const isFigure = (v: string): boolean => /\d/.test(v) && !/^[—–-]$/.test(v.trim());

/** Why a chart does not (yet) show data drawn on its canvas, or null when it does. */
export function chartProblem(c: ChartReport, minPixels: number): string | null {
  if (c.canvasWidth === 0 || c.canvasHeight === 0) return `"${c.title}" has no canvas`;
  if (c.emptyShown) return `"${c.title}" says it has no data`;
  if (c.series.length === 0) return `"${c.title}" has no series in its legend`;
  if (!c.series.some((s) => isFigure(s.value)))
    return `"${c.title}" legend shows no figure (${c.series.map((s) => `${s.label}: ${s.value}`).join(', ')})`;
  const drawn = Math.max(...c.series.map((s) => s.pixels));
  if (drawn < minPixels) return `"${c.title}" drew ${drawn} px in its series colours (want ≥ ${minPixels})`;
  return null;
}

export const describeChart = (c: ChartReport): string =>
  `${c.title}: ${c.series.map((s) => `${s.label}=${s.value} (${s.pixels} px of ${s.color})`).join(', ')}`;

/** The webview body's theme class, set by VS Code: vscode-light, vscode-dark, vscode-high-contrast… */
export async function webviewThemeKind(app: FrameLocator): Promise<string> {
  const cls = (await app.locator('body').getAttribute('class')) ?? '';
  return /vscode-(high-contrast-light|high-contrast|light|dark)/.exec(cls)?.[0] ?? `(body class "${cls}")`;
}

/** The selected tab's id (overview, process, storage). */
export async function selectedTab(app: FrameLocator): Promise<string> {
  const id = await app.locator('[role=tab][aria-selected=true]').first().getAttribute('id', { timeout: 5_000 });
  return (id ?? '').replace(/^tab-/, '');
}

/** The pressed button of the range picker (Live, 1 h, …). */
export async function selectedRange(app: FrameLocator): Promise<string> {
  return ((await app.locator('.range-bar [aria-pressed=true]').first().textContent({ timeout: 5_000 })) ?? '').trim();
}

export type StorageFigures = {
  /** The Database card's headline size ("1.6 MB"). */
  size: string;
  /** Every fact of every card, by its label ("Newest sample", "Last flush", …). */
  facts: Record<string, string>;
  /** Rows per tier as the table shows them, by row name, with the total under "Total". */
  rows: Record<string, number>;
};

export async function readStorage(app: FrameLocator): Promise<StorageFigures> {
  return app.locator('#panel-storage').evaluate((panel) => {
    const text = (el: typeof panel | null | undefined): string => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const facts: Record<string, string> = {};
    for (const dt of panel.querySelectorAll('dl.facts dt')) facts[text(dt)] = text(dt.nextElementSibling);
    const rows: Record<string, number> = {};
    for (const tr of panel.querySelectorAll('table tr')) {
      const cells = tr.querySelectorAll('td');
      if (cells.length === 2) rows[text(cells[0])] = Number(text(cells[1]).replace(/[^\d]/g, ''));
    }
    return { size: text(panel.querySelector('.card .big strong')), facts, rows };
  });
}
