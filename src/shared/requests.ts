// The bookkeeping of requests awaiting an answer, for every side that asks over a message channel
// (the extension's worker client, a viewer's live feed client, the webview's RPC): ids, answers
// matched by `inReplyTo`, everything still waiting rejected when the channel goes away, and
// cancellation. Pure: no Node, no DOM, no timers — a caller that needs a timeout rejects the request
// from its own timer.

/** The shape of a cancellation token (vscode.CancellationToken has it). */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** A request taken out of the tracker: the caller settles it once it knows how. */
export interface Settle<C> {
  readonly context: C;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Entry<C> extends Settle<C> {
  cleanups: (() => void)[];
}

/** `C` is what the caller keeps per request (its method, its channel, a progress callback…). */
export class RequestTracker<C> {
  private nextId = 1;
  private readonly pending = new Map<number, Entry<C>>();

  /** How many requests await an answer. */
  get size(): number {
    return this.pending.size;
  }

  /** Registers a request: its id (to send with it) and the promise of its answer. */
  open<T>(context: C): { id: number; answer: Promise<T> } {
    const id = this.nextId++;
    const answer = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { context, resolve: resolve as (v: unknown) => void, reject, cleanups: [] });
    });
    return { id, answer };
  }

  /** What the caller keeps for a request still waiting (progress events look it up), or undefined. */
  context(id: number): C | undefined {
    return this.pending.get(id)?.context;
  }

  /**
   * Removes a request so it is settled exactly once; undefined for an id not (or no longer) waiting:
   * an answer that came too late, or from before a restart or reload, is ignored.
   */
  take(id: number): Settle<C> | undefined {
    const e = this.pending.get(id);
    if (!e) return undefined;
    this.pending.delete(id);
    for (const c of e.cleanups) c();
    return e;
  }

  resolve(id: number, value: unknown): boolean {
    const e = this.take(id);
    e?.resolve(value);
    return e !== undefined;
  }

  reject(id: number, error: Error): boolean {
    const e = this.take(id);
    e?.reject(error);
    return e !== undefined;
  }

  /** Runs `cleanup` when the request is settled, however that happens (a timer, a listener). */
  onSettled(id: number, cleanup: () => void): void {
    const e = this.pending.get(id);
    if (e) e.cleanups.push(cleanup);
    else cleanup();
  }

  /**
   * Calls `onCancel` when the token is cancelled while the request still waits — the caller tells
   * the other side, whose answer then settles it. The listener goes away with the request.
   */
  cancelWith(id: number, token: Cancellation | undefined, onCancel: () => void): void {
    if (!token) return;
    const listener = token.onCancellationRequested(() => {
      if (this.pending.has(id)) onCancel();
    });
    this.onSettled(id, () => listener.dispose());
  }

  /** Rejects every waiting request (or those `which` picks) with the error `why` makes for it; returns how many. */
  rejectAll(why: (context: C) => Error, which: (context: C) => boolean = () => true): number {
    let n = 0;
    for (const [id, e] of [...this.pending]) {
      if (!which(e.context)) continue;
      this.take(id);
      e.reject(why(e.context));
      n++;
    }
    return n;
  }
}
