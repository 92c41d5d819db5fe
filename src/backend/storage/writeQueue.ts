// Encoded records waiting for the next journal append. Bounded: while the journal cannot be written
// the oldest are dropped beyond `limit`, and the journal can then no longer follow on (the records
// after a gap refer to processes and metrics the dropped ones defined) — only a checkpoint can.
export class WriteQueue {
  private pending: Uint8Array[] = [];
  /** Records were dropped: the journal cannot follow on, only a checkpoint can. */
  gap = false;
  dropped = 0;

  constructor(public limit: number) {}

  push(payload: Uint8Array): void {
    this.pending.push(payload);
    if (this.pending.length > this.limit) {
      const over = this.pending.length - this.limit;
      this.pending.splice(0, over);
      this.dropped += over;
      // They stay in memory (the database has them); the next write is a whole checkpoint instead.
      this.gap = true;
    }
  }

  get length(): number {
    return this.pending.length;
  }

  get records(): readonly Uint8Array[] {
    return this.pending;
  }

  /** Everything queued is on disk now (appended, or in a checkpoint). */
  written(): void {
    this.pending = [];
    this.gap = false;
  }
}
