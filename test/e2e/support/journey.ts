// A user's journey through the UI, one numbered screenshot per step in test-results/, and waits
// that fail with what was last seen and the path of a screenshot of the screen at that moment.
//
// Every wait polls a condition with a generous deadline: on a loaded 2-core machine the workbench,
// the extension host and the backend worker all compete for the CPU, and a deadline only bounds how
// long a broken feature can hang the run. Nothing here measures how fast anything happened.
import type { Locator, Page } from 'playwright-core';
import { screenshot } from '../harness';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** "Not yet", with what was seen instead (shown if the wait times out). */
export class Miss {
  constructor(readonly why: string) {}
}
export const miss = (why: string): Miss => new Miss(why);

export type Probe<T> = () => Promise<T | Miss>;

export type WaitOptions = { timeoutMs?: number; intervalMs?: number };

const DEFAULT_TIMEOUT_MS = 60_000;

const errorText = (err: unknown): string => (err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err));

export class Journey {
  private step = 0;
  /** Screenshots taken so far, in order. */
  readonly shots: string[] = [];

  /**
   * `tripwire` is checked on every poll: when it names a problem (an error notification from the
   * extension), the wait fails at once with it instead of running into its deadline.
   */
  constructor(
    private readonly page: () => Page,
    private readonly prefix: string,
    private readonly tripwire?: () => Promise<string | null>,
  ) {}

  /** test-results/<prefix>-NN-<name>.png of the whole window. */
  async shot(name: string): Promise<string> {
    this.step++;
    const file = await screenshot(this.page(), `${this.prefix}-${String(this.step).padStart(2, '0')}-${name}`);
    this.shots.push(file);
    return file;
  }

  /** Throws `what` with a screenshot of the screen as it is now. */
  async fail(what: string): Promise<never> {
    let where: string;
    try {
      where = `screenshot: ${await screenshot(this.page(), `${this.prefix}-missing-${what}`)}`;
    } catch (err) {
      where = `no screenshot (${errorText(err)})`;
    }
    throw new Error(`${what}\n      ${where}`);
  }

  /** Polls `probe` until it returns a value; a thrown error counts as "not yet" (frames reload). */
  async until<T>(what: string, probe: Probe<T>, opts: WaitOptions = {}): Promise<T> {
    const r = await this.poll(what, probe, opts);
    if (r instanceof Miss)
      return this.fail(`${what}: not seen within ${Math.round((opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s (last seen: ${r.why})`);
    return r;
  }

  /** Like `until`, but a timeout returns the last Miss instead of failing (the caller decides). */
  async poll<T>(what: string, probe: Probe<T>, { timeoutMs = DEFAULT_TIMEOUT_MS, intervalMs = 500 }: WaitOptions = {}): Promise<T | Miss> {
    const deadline = Date.now() + timeoutMs;
    let last: Miss;
    for (;;) {
      const tripped = this.tripwire ? await this.tripwire().catch(() => null) : null;
      if (tripped) return this.fail(`${what}: ${tripped}`);
      try {
        const r = await probe();
        if (!(r instanceof Miss)) return r;
        last = r;
      } catch (err) {
        last = miss(`error: ${errorText(err)}`);
      }
      if (Date.now() >= deadline) return last;
      await sleep(intervalMs);
    }
  }

  /** Waits for an element to be visible; fails naming it, with a screenshot. */
  async visible(locator: Locator, what: string, timeoutMs = 30_000): Promise<Locator> {
    try {
      await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
    } catch (err) {
      return this.fail(`${what}: missing after ${Math.round(timeoutMs / 1000)} s (${errorText(err)})`);
    }
    return locator.first();
  }

  /** Runs a harness action; if it throws, fails with `what` and a screenshot. */
  async attempt<T>(what: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (err) {
      return this.fail(`${what}: ${errorText(err)}`);
    }
  }
}
