// The endpoint as the recorder drives it: one render per snapshot, served and written to the
// textfile atomically (readable by node_exporter), and a textfile that cannot be written is said once.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MetricsEndpoint } from '../../../src/backend/metrics-endpoint/endpoint';
import { snapshotAt } from '../../support/synthetic';
import { tempDir } from '../durability/support/harness';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const self = { cpuSecondsTotal: 1, rssBytes: 1, databaseBytes: 1, samplesDroppedTotal: 0, lastCheckpointAt: null };
const build = { version: '0.0.0', platform: 'linux' };
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('metrics endpoint', () => {
  it('serves and writes the text of the latest snapshot, the file replaced whole and readable by others', async () => {
    dir = tempDir('textfile');
    const textfile = join(dir, 'vitals.prom');
    const warnings: string[] = [];
    const ep = await MetricsEndpoint.start({
      listen: { host: '127.0.0.1', port: 0 },
      textfile,
      topGroups: 3,
      build,
      warn: (m) => warnings.push(m),
    });
    try {
      ep.publish(snapshotAt(T0, 2000, { processes: 40 }), self);
      const text = ep.publish(snapshotAt(T0 + 2000, 2000, { processes: 40 }), self);
      expect(readFileSync(textfile, 'utf8')).toBe(text);
      expect(statSync(textfile).mode & 0o777).toBe(0o644);
      expect(readdirSync(dir)).toEqual(['vitals.prom']);
      const served = await (await fetch(`http://127.0.0.1:${ep.address!.port}/metrics`)).text();
      expect(served).toBe(text);
      // 3 by CPU and 3 by memory at most, plus other.
      expect(text.match(/^vitals_process_group_processes\{/gm)!.length).toBeLessThanOrEqual(7);
      expect(warnings).toEqual([]);
    } finally {
      await ep.close();
    }
  });

  it('warns once when the textfile cannot be written, and again only after it worked', async () => {
    dir = tempDir('textfile');
    const textfile = join(dir, 'missing-folder', 'vitals.prom');
    const warnings: string[] = [];
    const ep = await MetricsEndpoint.start({ textfile, topGroups: 3, build, warn: (m) => warnings.push(m) });
    for (let i = 0; i < 3; i++) ep.publish(snapshotAt(T0 + i * 2000, 2000, { processes: 5 }), self);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^could not write the metrics textfile .*vitals\.prom: .*ENOENT/);
    mkdirSync(join(dir, 'missing-folder'));
    ep.publish(snapshotAt(T0 + 8000, 2000, { processes: 5 }), self);
    expect(readFileSync(textfile, 'utf8')).toContain('vitals_build_info');
    await ep.close();
  });
});
