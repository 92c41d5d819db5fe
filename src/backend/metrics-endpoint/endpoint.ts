// The metrics endpoint as the recorder uses it: each snapshot is added to the running totals and
// rendered once; the HTTP server and the textfile both hand out that one text.
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorText } from '../../shared/errors';
import type { Snapshot } from '../types';
import { MetricsAccumulator } from './accumulate';
import type { ListenAddress } from './address';
import { renderExposition, type BuildInfo, type SelfFigures } from './exposition';
import { MetricsServer, readTokenFile } from './server';

export interface MetricsOptions {
  /** Serve over HTTP here; undefined = no server. */
  listen?: ListenAddress;
  /** A file holding the bearer token scrapers must send. */
  tokenFile?: string;
  /** Also write the text to this file (atomically) every interval, for node_exporter's textfile collector. */
  textfile?: string;
  /** Process groups kept by CPU and by memory each; the rest are summed into `other`. */
  topGroups: number;
  build: BuildInfo;
  /** Where textfile failures are reported (once per distinct message). */
  warn: (message: string) => void;
}

export class MetricsEndpoint {
  private readonly accumulator: MetricsAccumulator;
  private lastWarning: string | undefined;

  private constructor(
    private readonly options: MetricsOptions,
    private readonly server: MetricsServer | undefined,
    /** Where the server listens (the port the OS chose when asked for 0). */
    readonly address: ListenAddress | undefined,
  ) {
    this.accumulator = new MetricsAccumulator(options.topGroups);
  }

  /** Reads the token file and binds the address; throws MetricsConfigError / MetricsListenError with the one line to show. */
  static async start(options: MetricsOptions): Promise<MetricsEndpoint> {
    const token = options.tokenFile === undefined ? undefined : readTokenFile(options.tokenFile);
    if (!options.listen) return new MetricsEndpoint(options, undefined, undefined);
    const server = new MetricsServer(token);
    const address = await server.listen(options.listen);
    return new MetricsEndpoint(options, server, address);
  }

  /** The text for this snapshot, rendered once; every later scrape serves it until the next one. */
  publish(snapshot: Snapshot, self: SelfFigures): string {
    const groups = this.accumulator.add(snapshot);
    const text = renderExposition({ snapshot, counters: this.accumulator.counters, groups, self, build: this.options.build });
    this.server?.publish(text);
    if (this.options.textfile) this.writeTextfile(this.options.textfile, text);
    return text;
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }

  private writeTextfile(path: string, text: string): void {
    // node_exporter reads every *.prom in its folder: the temp name must not end in .prom, and the
    // rename makes a reader see the old text or the new, never half. 0644 whatever the umask:
    // node_exporter usually runs as another user, and these figures are what the endpoint serves.
    const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
    try {
      writeFileSync(tmp, text);
      chmodSync(tmp, 0o644);
      renameSync(tmp, path);
      this.lastWarning = undefined;
    } catch (e) {
      rmSync(tmp, { force: true });
      const message = `could not write the metrics textfile ${path}: ${errorText(e)}`;
      if (message !== this.lastWarning) this.options.warn(message);
      this.lastWarning = message;
    }
  }
}
