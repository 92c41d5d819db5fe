// The endpoint a VS Code window serves while it is the recorder (`vitals.metrics.*`): started when
// the window becomes the recorder — at start or when it takes over from a window that closed —,
// restarted when the settings change, stopped when it steps down or closes. A port that cannot be
// bound is a warning shown once; recording goes on without the endpoint.
import { errorText } from '../../shared/errors';
import type { MonitorConfig } from '../config';
import type { Problems } from '../recorder/problems';
import type { Snapshot } from '../types';
import { formatListenAddress } from './address';
import { MetricsEndpoint } from './endpoint';
import type { BuildInfo, SelfFigures } from './exposition';

export const METRICS_PROBLEM = 'metrics-endpoint';

type Wanted = MonitorConfig['metrics'];

export class MetricsDuty {
  private endpoint: MetricsEndpoint | undefined;
  private servingKey: string | undefined;
  /** The settings that failed to start: not retried every second, only when they change or after a step down. */
  private failedKey: string | undefined;
  private busy: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      problems: Problems;
      log: (level: 'info' | 'warn', message: string) => void;
      build: BuildInfo;
    },
  ) {}

  /** What should be served now: the settings while recording with an address, null otherwise. Idempotent. */
  sync(wanted: Wanted | null): Promise<void> {
    this.busy = this.busy
      .then(() => this.apply(wanted))
      .catch((e: unknown) => this.deps.log('warn', `The metrics endpoint could not be updated: ${errorText(e)}`));
    return this.busy;
  }

  publish(snapshot: Snapshot, self: () => SelfFigures): void {
    this.endpoint?.publish(snapshot, self());
  }

  close(): Promise<void> {
    return this.sync(null);
  }

  private async apply(wanted: Wanted | null): Promise<void> {
    const key = wanted?.listen ? JSON.stringify(wanted) : undefined;
    if (key === undefined) this.failedKey = undefined;
    if (key === this.servingKey || (key !== undefined && key === this.failedKey)) return;
    if (this.endpoint) {
      await this.endpoint.close();
      this.deps.log('info', 'Stopped serving metrics.');
    }
    this.endpoint = undefined;
    this.servingKey = undefined;
    if (!wanted?.listen || key === undefined) return;
    try {
      this.endpoint = await MetricsEndpoint.start({
        listen: wanted.listen,
        tokenFile: wanted.tokenFile ?? undefined,
        topGroups: wanted.processGroups,
        build: this.deps.build,
        warn: (message) => this.deps.log('warn', message),
      });
      this.servingKey = key;
      this.failedKey = undefined;
      this.deps.problems.clear(METRICS_PROBLEM);
      this.deps.log('info', `Serving metrics at http://${formatListenAddress(this.endpoint.address!)}/metrics`);
    } catch (e) {
      this.failedKey = key;
      this.deps.problems.report(METRICS_PROBLEM, `Vitals ${errorText(e)}; recording goes on without the metrics endpoint.`);
    }
  }
}
