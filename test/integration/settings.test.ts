// Settings apply while VS Code runs, written to the user settings as a user would; invalid values
// fall back to a valid one with a warning. Every setting written here is removed afterwards.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'mocha';
import { testLog } from './harness/log';
import { waitFor } from './harness/wait';
import { nextSnapshot, resetSettings, setSetting, vitals, waitForLogEntry, type VitalsTestApi } from './support/vitals';

const KEYS = ['statusBar.enabled', 'sampling.intervalSeconds', 'privacy.commandLine', 'metrics.listen'];
const DEFAULT_INTERVAL_MS = 2000;

describe('settings', () => {
  let api: VitalsTestApi;

  before(async () => {
    api = await vitals();
    await resetSettings(KEYS);
  });

  after(async () => {
    await resetSettings(KEYS);
    await waitFor(
      () =>
        api.settings().monitor.sampleIntervalMs === DEFAULT_INTERVAL_MS &&
        api.settings().ui.statusBar.enabled &&
        api.settings().problems.length === 0,
      'the default settings back',
    );
  });

  it('metrics.listen serves Prometheus metrics from the recording window, and stops when cleared', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const scrape = async (): Promise<string> => {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/metrics`);
        return r.status === 200 ? await r.text() : `HTTP ${r.status}`;
      } catch {
        return 'refused';
      }
    };
    await setSetting('metrics.listen', `127.0.0.1:${port}`);
    let text = '';
    await waitFor(
      async () => (text = await scrape()).includes('vitals_cpu_seconds_total{cpu="0",mode="idle"}'),
      'a scrape with CPU counters',
      { timeoutMs: 30_000 },
    );
    assert.match(text, /^vitals_process_group_processes\{group="other"\} \d+$/m);
    await resetSettings(['metrics.listen']);
    await waitFor(async () => (await scrape()) === 'refused', 'the endpoint to stop', { timeoutMs: 30_000 });
  });

  it('statusBar.enabled hides and shows the status bar item live', async () => {
    await waitFor(() => api.statusBar.visible && /CPU .*% · MEM .*%/.test(api.statusBar.item.text), 'the status bar item with figures');
    await setSetting('statusBar.enabled', false);
    await waitFor(() => api.settings().ui.statusBar.enabled === false, 'the setting to reach Vitals');
    assert.equal(api.statusBar.visible, false, 'hidden as soon as the setting applied');
    await resetSettings(['statusBar.enabled']);
    await waitFor(() => api.settings().ui.statusBar.enabled, 'the setting back to its default');
    assert.equal(api.statusBar.visible, true, 'shown again');
    // And it keeps rendering new samples.
    api.statusBar.item.text = 'stale';
    await waitFor(() => /CPU .*% · MEM .*%/.test(api.statusBar.item.text), 'the status bar to render a new sample');
  });

  it('sampling.intervalSeconds changes the pace of the samples live', async function () {
    const intervalS = 5;
    await setSetting('sampling.intervalSeconds', intervalS);
    await waitFor(() => api.settings().monitor.sampleIntervalMs === intervalS * 1000, 'the new interval in the validated settings');
    // A sample already under way when the change arrived belongs to the old pace: skip one.
    await nextSnapshot(api, 'a sample after the change');
    const times: number[] = [];
    const gaps = 3;
    await nextSnapshot(api, `${gaps + 1} samples at the new pace`, (s) => times.push(s.t) > gaps, 60_000);
    testLog(
      `      samples ${intervalS} s apart were ${times
        .slice(1)
        .map((t, i) => t - times[i]!)
        .join(', ')} ms apart`,
    );
    // Samples fall on a grid of the interval, so a delayed one can be followed by a shorter gap: the
    // span over several is what tells the paces apart. At the old pace it would be ~gaps × 2 s.
    const span = times[gaps]! - times[0]!;
    assert.ok(
      span >= gaps * 1.5 * DEFAULT_INTERVAL_MS,
      `${gaps} intervals took ${span} ms, as fast as the old ${DEFAULT_INTERVAL_MS} ms pace`,
    );

    await resetSettings(['sampling.intervalSeconds']);
    await waitFor(() => api.settings().monitor.sampleIntervalMs === DEFAULT_INTERVAL_MS, 'the default interval back');
    await nextSnapshot(api, 'a sample after the interval was restored');
  });

  it('an out-of-range interval falls back to the nearest valid value, with a warning', async () => {
    await setSetting('sampling.intervalSeconds', 0.01);
    await waitFor(() => api.settings().monitor.sampleIntervalMs === 500, 'the interval to fall back to 0.5 s');
    const problem = api.settings().problems.find((p) => p.setting === 'vitals.sampling.intervalSeconds');
    assert.ok(problem, 'the validated settings name the problem');
    assert.match(problem.message, /outside 0\.5–60; using 0\.5/);
    await waitForLogEntry(api, 'warning', (t) => t === problem.message, 'the warning about the interval');
    // The backend runs at the fallback, not at 10 ms: it keeps sampling.
    await nextSnapshot(api, 'a sample at the fallback interval');

    await resetSettings(['sampling.intervalSeconds']);
    await waitFor(() => api.settings().monitor.sampleIntervalMs === DEFAULT_INTERVAL_MS, 'the default interval back');
    assert.deepEqual(api.settings().problems, []);
  });

  it('a value of the wrong kind falls back to the default, with a warning', async () => {
    await setSetting('privacy.commandLine', 'everything');
    await waitFor(
      () => api.settings().problems.some((p) => p.setting === 'vitals.privacy.commandLine'),
      'the problem with privacy.commandLine',
    );
    assert.equal(api.settings().monitor.commandLine, 'redacted');
    const problem = api.settings().problems.find((p) => p.setting === 'vitals.privacy.commandLine')!;
    assert.match(problem.message, /must be one of "off", "redacted", "full"; using "redacted"/);
    await waitForLogEntry(api, 'warning', (t) => t === problem.message, 'the warning about privacy.commandLine');

    await resetSettings(['privacy.commandLine']);
    await waitFor(() => api.settings().problems.length === 0, 'no problem once the setting is removed');
  });
});
