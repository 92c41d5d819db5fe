// Colours come from the theme as CSS strings; the charts need them with transparency. Pure.

/** `color` at `alpha` (0..1): hex (#rgb, #rgba, #rrggbb, #rrggbbaa) and rgb()/rgba() are understood. */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim();
  const a = Math.max(0, Math.min(1, alpha));
  const hex = /^#([0-9a-f]{3,8})$/i.exec(c);
  if (hex) {
    let h = hex[1] as string;
    if (h.length === 3 || h.length === 4) h = [...h].map((x) => x + x).join('');
    if (h.length !== 6 && h.length !== 8) return c;
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
    const base = h.length === 8 ? parseInt(h.slice(6, 8), 16) / 255 : 1;
    return `rgba(${r}, ${g}, ${b}, ${round(base * a)})`;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/i.exec(c);
  if (rgb) {
    const alphaPart = rgb[4];
    const base = alphaPart === undefined ? 1 : alphaPart.endsWith('%') ? parseFloat(alphaPart) / 100 : parseFloat(alphaPart);
    return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${round(base * a)})`;
  }
  // Named colours and others: leave as they are rather than guess.
  return c;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
