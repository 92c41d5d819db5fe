import { describe, expect, it } from 'vitest';
import { withAlpha } from '../../../../media/dashboard/color';
import { DEFAULT_STATE, parseState } from '../../../../media/dashboard/state';

describe('parseState', () => {
  it('restores a saved state', () => {
    const saved = {
      v: 1,
      tab: 'process',
      range: { kind: 'preset', preset: '7d' },
      zoom: { from: 1, to: 2 },
      process: { kind: 'process', pid: 4, startTime: 5, name: 'node' },
      search: 'no',
      topBy: 'memory',
    };
    expect(parseState(JSON.parse(JSON.stringify(saved)))).toEqual(saved);
  });

  it('falls back field by field on damage', () => {
    expect(parseState(undefined)).toEqual(DEFAULT_STATE);
    const s = parseState({
      tab: 'charts',
      range: { kind: 'preset', preset: '2y' },
      zoom: { from: 5, to: 1 },
      process: { kind: 'name' },
      search: 7,
      topBy: 'disk',
    });
    expect(s).toEqual(DEFAULT_STATE);
    expect(parseState({ range: { kind: 'custom', from: 10, to: 20 } }).range).toEqual({ kind: 'custom', from: 10, to: 20 });
    expect(parseState({ process: { kind: 'name', name: 'bash' } }).process).toEqual({ kind: 'name', name: 'bash' });
  });

  it('restores the Events tab', () => {
    expect(parseState({ tab: 'events' }).tab).toBe('events');
  });
});

describe('withAlpha', () => {
  it('understands the colour forms themes use', () => {
    expect(withAlpha('#3794ff', 0.5)).toBe('rgba(55, 148, 255, 0.5)');
    expect(withAlpha('#fff', 0.25)).toBe('rgba(255, 255, 255, 0.25)');
    expect(withAlpha('#80808059', 1)).toBe('rgba(128, 128, 128, 0.349)');
    expect(withAlpha('rgb(1, 2, 3)', 0.1)).toBe('rgba(1, 2, 3, 0.1)');
    expect(withAlpha('rgba(1, 2, 3, 0.5)', 0.5)).toBe('rgba(1, 2, 3, 0.25)');
    expect(withAlpha(' red ', 0.5)).toBe('red');
  });
});
