// Least-squares line through points, with R² (the share of the variance the line explains). Pure.
// The leak rule fits per-minute minima of a process's memory: minima, because a garbage-collected
// heap's peaks say when the collector last ran, while its troughs say what stays alive.

export interface Point {
  x: number;
  y: number;
}

export interface LineFit {
  /** y per unit of x. */
  slope: number;
  intercept: number;
  /** 0..1; 1 when every point is on the line (and when y does not vary at all). */
  r2: number;
  n: number;
}

export function fitLine(points: readonly Point[]): LineFit | null {
  const n = points.length;
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    const dx = p.x - mx;
    const dy = p.y - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2, n };
}
