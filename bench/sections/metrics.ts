// The metrics endpoint at 300 processes: what rendering one snapshot costs (once per interval, on
// the sampling side) and what one scrape costs (an HTTP request answered with the text already
// rendered), measured over real loopback HTTP: curl in its own process scrapes one request after
// another on one connection, and the CPU this process spent meanwhile is the server's cost.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MetricsEndpoint } from '../../src/backend/metrics-endpoint/endpoint';
import { snapshotAt } from '../../test/support/synthetic';

export interface MetricsResult {
  /** ms per snapshot: running totals, groups and the text. */
  renderMs: number[];
  /** CPU ms this process spent per scrape, over `rounds` rounds of `scrapes` scrapes each. */
  scrapeCpuMs: number[];
  bytes: number;
  series: number;
}

export async function metricsEndpoint(opts: { processes: number; snapshots: number; scrapes: number }): Promise<MetricsResult> {
  const endpoint = await MetricsEndpoint.start({
    listen: { host: '127.0.0.1', port: 0 },
    topGroups: 10,
    build: { version: 'bench', platform: process.platform },
    warn: () => undefined,
  });
  try {
    const self = { cpuSecondsTotal: 1, rssBytes: 1, databaseBytes: 1, samplesDroppedTotal: 0, lastCheckpointAt: 1 };
    const t0 = Date.UTC(2026, 0, 5);
    const snapshots = Array.from({ length: opts.snapshots }, (_, i) => snapshotAt(t0 + i * 2000, 2000, { processes: opts.processes }));
    const renderMs: number[] = [];
    let text = '';
    for (const s of snapshots) {
      const started = performance.now();
      text = endpoint.publish(s, self);
      renderMs.push(performance.now() - started);
    }
    const url = `http://127.0.0.1:${endpoint.address!.port}/metrics`;
    const scrapeCpuMs: number[] = [];
    const args = ['-s', ...Array.from({ length: opts.scrapes }, () => [url, '-o', '/dev/null']).flat()];
    for (let round = 0; round < 5; round++) {
      const before = process.cpuUsage();
      await promisify(execFile)('curl', args);
      const used = process.cpuUsage(before);
      scrapeCpuMs.push((used.user + used.system) / 1000 / opts.scrapes);
    }
    // The first ones warm up the JIT and the connection.
    return {
      renderMs: renderMs.slice(Math.floor(renderMs.length / 5)),
      scrapeCpuMs: scrapeCpuMs.slice(1),
      bytes: Buffer.byteLength(text),
      series: text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length,
    };
  } finally {
    await endpoint.close();
  }
}
