// The dashboard's VS Code card as data (media/dashboard/vscodeLoadCharts.ts) and the loadByGroup
// request/answer through the dashboard protocol's checks.
import { describe, expect, it } from 'vitest';
import type { LoadByGroupResult, LoadGroup } from '../../../../src/backend/types';
import { LIMITS, parseResult, parseWebviewMessage } from '../../../../src/shared/dashboardChecks';
import { chartedGroups, groupLabel, loadCharts, MAX_LINES, topGroupRows } from '../../../../media/dashboard/vscodeLoadCharts';

const series = (v: (number | null)[]) => ({ avg: v, min: v, max: v });
function group(key: string, label: string, cpu: (number | null)[], over: Partial<LoadGroup> = {}): LoadGroup {
  const vals = cpu.filter((x): x is number => x !== null);
  return {
    key,
    label,
    cpu: series(cpu),
    rssBytes: series(cpu.map((c) => (c === null ? null : c * 1e6))),
    cpuAvg: vals.reduce((a, b) => a + b, 0) / Math.max(1, vals.length),
    cpuMax: Math.max(0, ...vals),
    rssMaxBytes: Math.max(0, ...vals) * 1e6,
    processes: 1,
    ...over,
  };
}
const result = (groups: LoadGroup[], by: 'extension' | 'role' = 'extension'): LoadByGroupResult => ({
  from: 0,
  to: 4000,
  tier: 'raw',
  bucketMs: 1000,
  t: [0, 1000, 2000, 3000],
  by,
  groups,
});

describe('loadCharts', () => {
  const res = result([
    group('vscode.typescript-language-features', 'TypeScript and JavaScript Language Features', [10, 20, null, 30]),
    group('dbaeumer.vscode-eslint', 'ESLint', [1, 2, null, 3]),
    group('other', 'other', [0.5, 0.5, null, 0.5]),
  ]);

  it('draws one line per extension, the busiest first and "other" last, with gaps kept', () => {
    const c = loadCharts(res);
    expect(c.cpu.series.map((s) => s.label)).toEqual(['TypeScript and JavaScript Language Features', 'ESLint', 'other VS Code processes']);
    expect(c.cpu.unit).toBe('processCpu');
    expect(c.memory.unit).toBe('bytes');
    expect(c.cpu.title).toBe('CPU by extension (% of one core)');
    // The empty bucket is dropped and, being a gap, marked by a null row (shapeGaps).
    expect(c.cpuTable.cols[0]).toContain(30);
    expect(c.cpuTable.cols[0]!.filter((v) => v !== null)).toEqual([10, 20, 30]);
    expect(c.memoryTable.cols[1]!.filter((v) => v !== null)).toEqual([1e6, 2e6, 3e6]);
  });

  it('draws at most MAX_LINES groups, the rest stay in the table', () => {
    const many = result(Array.from({ length: 12 }, (_, i) => group(`p.e${i}`, `E${i}`, [12 - i])));
    expect(chartedGroups(many)).toHaveLength(MAX_LINES);
    expect(topGroupRows(many)).toHaveLength(12);
  });

  it('names roles in the Processes view’s words', () => {
    const byRole = result([group('extension-host', 'extension-host', [5]), group('pty-host', 'pty-host', [1])], 'role');
    expect(loadCharts(byRole).cpu.series.map((s) => s.label)).toEqual(['extension host', 'pty host']);
    expect(groupLabel('role', { key: 'something-new', label: 'something-new' })).toBe('something-new');
    expect(loadCharts(byRole).cpu.title).toBe('CPU by VS Code role (% of one core)');
  });

  it('lists the table busiest first with "other" at the end', () => {
    const rows = topGroupRows(result([group('other', 'other', [50]), group('a.b', 'AB', [1])]));
    expect(rows.map((r) => r.label)).toEqual(['AB', 'other VS Code processes']);
  });
});

describe('loadByGroup through the dashboard protocol', () => {
  it('accepts a well-formed request and refuses bad ones', () => {
    const req = { kind: 'request', id: 1, method: 'loadByGroup', params: { from: 1, to: 2, by: 'extension', maxPoints: 100, limit: 20 } };
    expect(parseWebviewMessage(req).ok).toBe(true);
    const bad = (params: object) => {
      const r = parseWebviewMessage({ ...req, params: { ...req.params, ...params } });
      return r.ok ? 'accepted' : r.error;
    };
    expect(bad({ by: 'user' })).toMatch(/by/);
    expect(bad({ limit: LIMITS.groups + 1 })).toMatch(/limit/);
    expect(bad({ from: 3 })).toMatch(/from/);
  });

  it('checks an answer’s series against its time axis', () => {
    const res = result([group('a.b', 'AB', [1, 2, 3, 4])]);
    expect(parseResult('loadByGroup', res).ok).toBe(true);
    const short = { ...res, groups: [{ ...res.groups[0]!, cpu: series([1]) }] };
    const r = parseResult('loadByGroup', short);
    expect(r.ok).toBe(false);
    expect(parseResult('loadByGroup', { ...res, by: 'pid' }).ok).toBe(false);
  });
});
