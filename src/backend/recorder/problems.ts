// Problems shown to the user once per key: a failing write is reported when it starts failing, not at
// every retry, and may be reported again once it has worked in between.
import type { BackendSink } from '../service';

export class Problems {
  private readonly open = new Set<string>();

  constructor(private readonly sink: Pick<BackendSink, 'problem'>) {}

  /** Tells the user, unless this key was already reported and has not cleared since. */
  report(key: string, message: string, severity: 'warning' | 'error' = 'warning'): void {
    if (this.open.has(key)) return;
    this.open.add(key);
    this.sink.problem(key, message, severity);
  }

  has(key: string): boolean {
    return this.open.has(key);
  }

  /** The condition is over: the next occurrence is reported again. */
  clear(key: string): void {
    this.open.delete(key);
  }
}
