// A realistic process load: ~300 extra processes, mostly idle (`sleep`, idle Node programs) and a few
// busy ones, all in one process group of their own so one kill ends them all. Cleanup runs on normal
// exit, on SIGINT/SIGTERM and on an uncaught exception (./cleanup); and should this process die by SIGKILL, the
// group's leader notices its parent is gone within a second and kills the group itself.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { onCleanup } from './cleanup';

export interface LoadOptions {
  idleSleeps: number;
  idleNode: number;
  busyNode: number;
  /** Share of one core each busy process burns (it spins, then sleeps). */
  busyShare: number;
}

export const DEFAULT_LOAD: LoadOptions = { idleSleeps: 290, idleNode: 5, busyNode: 4, busyShare: 0.1 };

export interface Load {
  pgid: number;
  /** Processes in the group once started (the leader included). */
  count: number;
  stop(): void;
}

function groupMembers(pgid: number): number {
  let n = 0;
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const s = readFileSync(`/proc/${e}/stat`, 'latin1');
      // Field 5 (pgrp) is the third after the command name.
      if (Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[2]) === pgid) n++;
    } catch {
      // exited meanwhile
    }
  }
  return n;
}

function script(o: LoadOptions): string {
  const node = JSON.stringify(process.execPath);
  const periodMs = 100;
  const spinMs = Math.round(o.busyShare * periodMs);
  const busy = `const p=${periodMs},s=${spinMs};setInterval(()=>{const e=Date.now()+s;while(Date.now()<e);},p)`;
  return [
    'parent=$1',
    `i=0; while [ $i -lt ${o.idleSleeps} ]; do sleep 86400 & i=$((i+1)); done`,
    `i=0; while [ $i -lt ${o.idleNode} ]; do ${node} -e 'setInterval(()=>{},1e9)' vitals-bench-idle & i=$((i+1)); done`,
    `i=0; while [ $i -lt ${o.busyNode} ]; do ${node} -e '${busy}' vitals-bench-busy & i=$((i+1)); done`,
    // The watchdog: if the benchmark dies without cleaning up, take the whole group down.
    'while kill -0 "$parent" 2>/dev/null; do sleep 1; done',
    'kill -KILL 0',
  ].join('\n');
}

export async function startLoad(o: LoadOptions = DEFAULT_LOAD): Promise<Load> {
  const leader = spawn('sh', ['-c', script(o), 'vitals-bench-load', String(process.pid)], { detached: true, stdio: 'ignore' });
  const pgid = leader.pid;
  if (pgid === undefined) throw new Error('could not spawn the load');
  leader.unref();
  let unregister = (): void => undefined;
  const load: Load = {
    pgid,
    count: 0,
    stop() {
      unregister();
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
  unregister = onCleanup(() => load.stop());
  const want = 1 + o.idleSleeps + o.idleNode + o.busyNode;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    load.count = groupMembers(pgid);
    if (load.count >= want) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // Let the Node children finish starting before anyone measures.
  await new Promise((r) => setTimeout(r, 1500));
  load.count = groupMembers(pgid);
  return load;
}

/** Waits until no process of the group is left; returns how many remain after `timeoutMs`. */
export async function waitGone(pgid: number, timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let n = groupMembers(pgid);
  while (n > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    n = groupMembers(pgid);
  }
  return n;
}
