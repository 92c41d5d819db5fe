// Product changes the benchmark led to, with the figures before and after: kept here so every
// BENCHMARKS.md the benchmark writes carries them.
export const OPTIMIZATIONS = `## Product changes made because of this benchmark

### Recording an interval ~2× cheaper, the raw tier ~35 % smaller (commit 86d6adb)

Profiling \`Store.record()\` (300 synthetic processes, 16 MB database) showed:

- every minute's upkeep ran \`PRAGMA incremental_vacuum(16)\`, which truncates sql.js's in-memory file
  — and sql.js truncates by copying the whole file into a new array, then copies it again on the next
  write to grow it: two O(database size) copies a minute, 7 ms each at 16 MB (tens of ms at 64 MB).
  Free pages are now returned once per checkpoint (which copies the file anyway); between
  checkpoints SQLite reuses them;
- the active-process map was keyed by a \`pid@start\` string built for every process every interval:
  now keyed by pid, with the start time compared;
- the minute rollup updated \`last_seen\`/\`keep_until\` with one UPDATE per process: now one per
  distinct pair of values (a handful);
- 8 KB pages held one 4.2 KB frame each and left the rest empty: new databases use 32 KB pages.

| measured side by side, same loaded machine | before | after |
|---|---|---|
| CPU per \`record()\`, 16 MB database, hours 2–3 | 2.1–2.4 ms | 0.9–1.2 ms |
| live size after 2 simulated hours (raw tier) | 16.0 MB | 10.0 MB |`;
