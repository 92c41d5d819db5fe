// Puts a VS Code role on each process of a snapshot (classify.ts says which), caching what it learns
// per process identity (pid + start time): a process's environment is read at most once per
// identity, only for this user's own processes and only on Linux, and nothing is kept from it but
// what it means for the role (which VS Code host it descends from, its main process, whether it runs
// in a terminal). Its executable's path is read the same way. A process keeps its role when its
// ancestry goes away, and is marked left behind from then on (`leftBehindSince`); so is a server
// install of a commit no window runs any more.
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import type { LeftBehindReason, Millis, ProcessRole, ProcessSample } from '../types';
import { classifyAll, indexContexts, ownRole, type ContextIndex, type ProcessFacts } from './classify';
import { vsCodeEnv } from './environ';
import type { WindowContexts } from './windowContexts';

export interface RoleTrackerOptions {
  /** Where procfs is mounted; null where there is none (macOS, Windows): command lines and parentage only. */
  procRoot: string | null;
  /** Whose processes' environments may be read; default this process's user. */
  uid?: number | undefined;
}

interface Known {
  facts: ProcessFacts;
  /** Own role as of `ownVersion` (null: none). */
  own: ProcessRole | null;
  ownVersion: string;
  /** The last role it had with its ancestry in place: kept when that ancestry goes. */
  last?: ProcessRole | undefined;
  /** Identity (pid@start) of the VS Code process it hangs on. */
  anchor?: string | undefined;
  leftBehindSince?: Millis | undefined;
}

const key = (pid: number, startTime: Millis): string => `${pid}@${startTime}`;
/** Linux's kthreadd, parent of every kernel thread. */
const KTHREADD = 2;

export class RoleTracker {
  /** Work done, for tests: environ at most once per identity; lists classified (not reused). */
  readonly counters = { environReads: 0, exeReads: 0, classified: 0 };
  private readonly known = new Map<string, Known>();
  private readonly uid: number | undefined;
  private index: ContextIndex = indexContexts([]);
  private contextsVersion = -1;
  /** The last list applied and the roles it got: most intervals see the same processes again. */
  private last: { pid: number; startTime: Millis; ppid: number; command: string; name: string; role: ProcessRole | undefined }[] = [];

  constructor(private readonly options: RoleTrackerOptions) {
    this.uid = options.uid ?? process.getuid?.();
  }

  /** Sets `role` on the processes VS Code started (in place), and clears it on the others. */
  apply(processes: ProcessSample[], contexts: WindowContexts, now: Millis): void {
    if (contexts.version === this.contextsVersion && this.sameAsLast(processes)) {
      // Nothing a role depends on changed (identities, parents, names, command lines, windows):
      // classifying again would give the same roles, so they are reused. This is every quiet interval.
      for (let i = 0; i < processes.length; i++) processes[i]!.role = this.last[i]!.role;
      return;
    }
    this.classify(processes, contexts, now);
    this.last = processes.map((p) => ({
      pid: p.pid,
      startTime: p.startTime,
      ppid: p.ppid,
      command: p.command,
      name: p.name,
      role: p.role,
    }));
  }

  private sameAsLast(processes: readonly ProcessSample[]): boolean {
    if (processes.length !== this.last.length) return false;
    for (let i = 0; i < processes.length; i++) {
      const p = processes[i]!;
      const l = this.last[i]!;
      if (p.pid !== l.pid || p.startTime !== l.startTime || p.ppid !== l.ppid) return false;
      // Linux's kernel workers rename themselves after the work they do, every few seconds; a kernel
      // thread (kthreadd's child) is never VS Code's.
      if (p.ppid !== KTHREADD && (p.command !== l.command || p.name !== l.name)) return false;
    }
    return true;
  }

  private classify(processes: ProcessSample[], contexts: WindowContexts, now: Millis): void {
    this.counters.classified++;
    if (contexts.version !== this.contextsVersion) {
      this.contextsVersion = contexts.version;
      this.index = indexContexts(contexts.all());
    }
    const alive = new Set<string>();
    const startOf = new Map<number, Millis>();
    const entries: Known[] = [];
    const mainPids = new Set<number>();
    for (const p of processes) {
      const k = key(p.pid, p.startTime);
      alive.add(k);
      startOf.set(p.pid, p.startTime);
      let known = this.known.get(k);
      if (!known) {
        known = { facts: this.factsOf(p), own: null, ownVersion: '' };
        this.known.set(k, known);
      } else {
        // The command line may be re-masked (privacy mode changed) or the process exec()ed (a
        // fork seen before its exec has the parent's command line): what it is must be asked again.
        if (known.facts.command !== p.command || known.facts.name !== p.name) {
          const root = this.options.procRoot;
          if (known.facts.name !== p.name && known.facts.exe && root !== null) known.facts.exe = this.exeOf(root, p.pid);
          known.facts.command = p.command;
          known.facts.name = p.name;
          known.ownVersion = '';
        }
        known.facts.ppid = p.ppid;
      }
      if (known.facts.env?.mainPid !== undefined) mainPids.add(known.facts.env.mainPid);
      entries.push(known);
    }
    for (const k of this.known.keys()) if (!alive.has(k)) this.known.delete(k);

    const version = `${this.contextsVersion}:${[...mainPids].sort((a, b) => a - b).join(',')}`;
    const ownOf = new Map<ProcessFacts, Known>(entries.map((e) => [e.facts, e]));
    const classified = classifyAll(
      entries.map((e) => e.facts),
      (f) => {
        const e = ownOf.get(f)!;
        if (e.ownVersion !== version) {
          e.own = ownRole(f, this.index, mainPids) ?? null;
          e.ownVersion = version;
        }
        return e.own ?? undefined;
      },
      this.index.commits,
    );

    for (let i = 0; i < processes.length; i++) {
      const p = processes[i]!;
      const e = entries[i]!;
      const c = classified.get(p.pid);
      let role: ProcessRole | undefined;
      let behind: LeftBehindReason | undefined;
      if (c && c.anchor !== undefined) {
        role = c.role;
        e.last = c.role;
        const start = startOf.get(c.anchor);
        e.anchor = start === undefined ? undefined : key(c.anchor, start);
        if (c.oldCommit) behind = 'commit-gone';
      } else if (e.last && e.anchor !== undefined) {
        // Its VS Code ancestor went (or it was re-parented away from it): what it was stays.
        role = e.last;
        if (!alive.has(e.anchor) || c === undefined || c.orphan === true) behind = 'ancestor-gone';
      } else if (c) {
        role = c.role;
        behind = c.orphan ? 'ancestor-gone' : c.oldCommit ? 'commit-gone' : undefined;
      }
      if (behind) e.leftBehindSince ??= now;
      else e.leftBehindSince = undefined;
      p.role = role && behind ? { ...role, leftBehindSince: e.leftBehindSince, leftBehindReason: behind } : role;
    }
  }

  private factsOf(p: ProcessSample): ProcessFacts {
    const facts: ProcessFacts = { pid: p.pid, ppid: p.ppid, name: p.name, command: p.command, exe: '' };
    const root = this.options.procRoot;
    if (root === null || !this.ownedByUs(root, p.pid)) return facts;
    facts.exe = this.exeOf(root, p.pid);
    try {
      this.counters.environReads++;
      facts.env = vsCodeEnv(readFileSync(`${root}/${p.pid}/environ`, 'latin1'));
    } catch {
      // Gone already, or not readable after all.
    }
    return facts;
  }

  private exeOf(root: string, pid: number): string {
    try {
      this.counters.exeReads++;
      return readlinkSync(`${root}/${pid}/exe`);
    } catch {
      return ''; // gone, or a kernel thread: no executable
    }
  }

  private ownedByUs(root: string, pid: number): boolean {
    if (this.uid === undefined) return false;
    try {
      return statSync(`${root}/${pid}`).uid === this.uid;
    } catch {
      return false;
    }
  }
}
