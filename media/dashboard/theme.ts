// The theme's colours as the charts need them: read from VS Code's --vscode-* variables at draw
// time and re-read whenever VS Code switches theme (it swaps the body class and the variables).

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Theme {
  kind: ThemeKind;
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  focus: string;
  font: string;
  /** Chart line colours, most distinct first. */
  palette: string[];
  blue: string;
  red: string;
  green: string;
  yellow: string;
  orange: string;
  purple: string;
}

function themeKind(): ThemeKind {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.body);
  const kind = themeKind();
  const light = kind === 'light' || kind === 'high-contrast-light';
  const v = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const foreground = v('--vscode-editor-foreground', v('--vscode-foreground', light ? '#3b3b3b' : '#cccccc'));
  const blue = v('--vscode-charts-blue', light ? '#1a85ff' : '#3794ff');
  const red = v('--vscode-charts-red', light ? '#e51400' : '#f14c4c');
  const green = v('--vscode-charts-green', light ? '#388a34' : '#89d185');
  const yellow = v('--vscode-charts-yellow', light ? '#bf8803' : '#cca700');
  const orange = v('--vscode-charts-orange', '#d18616');
  const purple = v('--vscode-charts-purple', light ? '#652d90' : '#b180d7');
  const size = v('--vscode-font-size', '13px');
  const family = v('--vscode-font-family', 'system-ui, sans-serif');
  return {
    kind,
    foreground,
    muted: v('--vscode-descriptionForeground', foreground),
    grid: v('--vscode-panel-border', light ? '#e5e5e5' : '#2b2b2b'),
    background: v('--vscode-editor-background', light ? '#ffffff' : '#1f1f1f'),
    focus: v('--vscode-focusBorder', '#0078d4'),
    font: `${parseInt(size, 10) - 2 || 11}px ${family}`,
    palette: [blue, orange, green, purple, red, yellow],
    blue,
    red,
    green,
    yellow,
    orange,
    purple,
  };
}

/** Calls `onChange` after VS Code changes theme; returns the unsubscribe. */
export function onThemeChange(onChange: () => void): () => void {
  let pending = 0;
  const fire = (): void => {
    // Body class and variables change in separate mutations: settle once.
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(onChange);
  };
  const mo = new MutationObserver(fire);
  mo.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id', 'data-vscode-theme-kind'] });
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => mo.disconnect();
}
