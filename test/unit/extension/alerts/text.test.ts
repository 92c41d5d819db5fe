import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../../src/backend/index';
import { alertMarker, alertTooltipMarkdown, notificationText } from '../../../../src/extension/alerts/text';
import { notificationActions } from '../../../../src/extension/alerts/actions';
import { historyTarget } from '../../../../src/shared/alertTargets';

const MIN = 60_000;

const NODE = {
  key: 'process:7@5',
  kind: 'process',
  label: 'node',
  processes: [{ pid: 7, startTime: 5, name: 'node', value: 198 }],
} as const;
const MACHINE = { key: 'machine', kind: 'machine', label: 'the machine', processes: [] } as const;

function alert(id: number, text: string, over: Partial<AlertEvent> = {}): AlertEvent {
  return {
    id: `processCpu|process:7@5|${id}`,
    rule: 'processCpu',
    culprit: { ...NODE, processes: [...NODE.processes] },
    start: 10 * MIN,
    end: null,
    peak: { value: 198, unit: '%core' },
    text,
    details: {},
    ...over,
  };
}

describe('alert text', () => {
  it('one alert is its own sentence; a group names two and counts the rest', () => {
    // No "Vitals:" prefix: that is how Vitals words its failures, and an alert is not one (VS Code names the source).
    expect(notificationText([alert(1, 'node (jest) has used 198% of a core for 3 min')])).toBe(
      'node (jest) has used 198% of a core for 3 min',
    );
    expect(notificationText([alert(1, 'a'), alert(2, 'b'), alert(3, 'c'), alert(4, 'd')])).toBe('4 alerts — a; b; and 2 more.');
  });

  it('the status bar marks active alerts and the tooltip lists them', () => {
    expect(alertMarker(0)).toBe('');
    expect(alertMarker(2)).toBe('$(warning) 2');
    const md = alertTooltipMarkdown([alert(1, 'node *busy*')], 13 * MIN);
    expect(md).toContain('Active alert');
    expect(md).toContain('node \\*busy\\* (started 3 min ago)');
    expect(alertTooltipMarkdown([], 0)).toBe('');
  });

  it('a single alert with a process offers the four actions; a group or a process-less one fewer', () => {
    expect(notificationActions([alert(1, 'a')])).toEqual(['Show History', 'Kill…', 'Snooze 1 h', 'Settings']);
    expect(notificationActions([alert(1, 'a', { culprit: { ...MACHINE, processes: [] } })])).toEqual([
      'Show History',
      'Snooze 1 h',
      'Settings',
    ]);
    expect(notificationActions([alert(1, 'a'), alert(2, 'b')])).toEqual(['Show Alerts', 'Snooze All 1 h', 'Settings']);
  });

  it('Show History opens the culprit around the event, or the Overview', () => {
    expect(historyTarget(alert(1, 'a'), 12 * MIN)).toEqual({
      tab: 'process',
      process: { pid: 7, startTime: 5, name: 'node' },
      range: { from: 5 * MIN, to: 12 * MIN },
    });
    expect(historyTarget(alert(1, 'a', { culprit: { ...MACHINE, processes: [] } }), 12 * MIN).tab).toBe('overview');
  });
});
