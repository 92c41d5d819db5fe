// Medians with their spread, and the few number formats the table uses.

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: readonly number[]): Spread {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = v.length >> 1;
  const median = v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { median, min: v[0]!, max: v[v.length - 1]!, n: v.length };
}

/** Three significant digits, no exponent for everyday magnitudes. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a >= 0.01) return x.toFixed(3);
  if (a === 0) return '0';
  return x.toPrecision(2);
}

/** "1.23 ms (1.10–1.40, n=5)" */
export function withSpread(s: Spread, unit: string): string {
  if (s.n === 0) return 'n/a';
  const u = unit ? ` ${unit}` : '';
  if (s.n === 1) return `${num(s.median)}${u} (n=1)`;
  return `${num(s.median)}${u} (${num(s.min)}–${num(s.max)}, n=${s.n})`;
}

export function mb(bytes: number): string {
  return `${num(bytes / (1024 * 1024))} MB`;
}

export function ratio(x: number): string {
  return `${num(x)}×`;
}
