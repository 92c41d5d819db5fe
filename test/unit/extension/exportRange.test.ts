import { describe, expect, it } from 'vitest';
import {
  defaultExportName,
  FORMAT_CHOICES,
  formatInputDate,
  parseIsoDate,
  presetRange,
  scopeChoices,
  validateDateInput,
} from '../../../src/extension/commands/exportRange';

describe('export ranges', () => {
  const now = Date.UTC(2024, 4, 10, 12, 0, 0);
  it('computes the preset ranges back from now', () => {
    expect(presetRange('hour', now)).toEqual({ from: now - 3_600_000, to: now });
    expect(presetRange('day', now)).toEqual({ from: now - 86_400_000, to: now });
    expect(presetRange('week', now).from).toBe(now - 7 * 86_400_000);
    expect(presetRange('month', now).from).toBe(now - 30 * 86_400_000);
    expect(presetRange('all', now)).toEqual({ from: 0, to: now });
  });
});

describe('parseIsoDate', () => {
  it('reads dates and times without a zone as local time', () => {
    expect(parseIsoDate('2024-05-01')).toBe(new Date(2024, 4, 1).getTime());
    expect(parseIsoDate(' 2024-05-01 14:03 ')).toBe(new Date(2024, 4, 1, 14, 3).getTime());
    expect(parseIsoDate('2024-05-01T14:03:07.5')).toBe(new Date(2024, 4, 1, 14, 3, 7, 500).getTime());
  });

  it('honours an explicit zone', () => {
    expect(parseIsoDate('2024-05-01T14:00:00Z')).toBe(Date.UTC(2024, 4, 1, 14));
    expect(parseIsoDate('2024-05-01T14:00+02:00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseIsoDate('2024-05-01T14:00-0130')).toBe(Date.UTC(2024, 4, 1, 15, 30));
  });

  it('rejects what is not a real date', () => {
    for (const s of ['', 'yesterday', '2024-5-1', '2024-02-31', '2024-13-01', '2024-05-01 25:00', '01/05/2024'])
      expect(parseIsoDate(s), s).toBeUndefined();
  });

  it('round-trips the prefilled input format', () => {
    const t = new Date(2024, 0, 2, 3, 4).getTime();
    expect(formatInputDate(t)).toBe('2024-01-02 03:04');
    expect(parseIsoDate(formatInputDate(t))).toBe(t);
  });
});

describe('validateDateInput', () => {
  it('explains the format and that the end must follow the start', () => {
    expect(validateDateInput('2024-05-01')).toBeUndefined();
    expect(validateDateInput('tomorrow')).toMatch(/YYYY-MM-DD/);
    const from = parseIsoDate('2024-05-02')!;
    expect(validateDateInput('2024-05-01', from)).toBe('The end must be after the start.');
    expect(validateDateInput('2024-05-03', from)).toBeUndefined();
  });
});

describe('defaultExportName', () => {
  it('names the scope, the time and the format', () => {
    const t = new Date(2024, 4, 1, 14, 3).getTime();
    expect(defaultExportName({ kind: 'system' }, 'csv', t)).toBe('vitals-system-20240501-1403.csv');
    expect(defaultExportName({ kind: 'processes' }, 'json', t)).toBe('vitals-processes-20240501-1403.json');
    expect(defaultExportName({ kind: 'pid', pid: 42 }, 'csv', t)).toBe('vitals-pid42-20240501-1403.csv');
    expect(defaultExportName({ kind: 'all' }, 'sqlite', t)).toBe('vitals-history-20240501-1403.sqlite');
  });
});

describe('format and scope choices', () => {
  it('offers every format, SQLite included, each with its save-dialog filter', () => {
    expect(FORMAT_CHOICES.map((c) => c.format)).toEqual(['csv', 'json', 'ndjson', 'sqlite']);
    for (const c of FORMAT_CHOICES) expect(Object.values(c.filters).flat()).toContain(c.format === 'sqlite' ? 'sqlite' : c.format);
  });

  it('offers everything at once only for SQLite, first', () => {
    expect(scopeChoices('sqlite').map((c) => c.scope.kind)).toEqual(['all', 'system', 'processes', 'events']);
    for (const f of ['csv', 'json', 'ndjson'] as const)
      expect(scopeChoices(f).map((c) => c.scope.kind)).toEqual(['system', 'processes', 'events']);
  });
});
