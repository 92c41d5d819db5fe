// What one journal record holds: everything needed to apply an interval to the database again after
// a crash — the two frames, plus the strings (metric names, new processes) first seen in it.
//
// Payload: [u8 kind][f64 seq][f64 t][u32 jsonLen][json][u32 sysLen][sys][u32 procLen][proc]
//          ([u32 xLen][x] in interval records since schema 4: the process frame's extras column,
//          procExtras.ts; a record without it, from an older Vitals, replays with x NULL)
// kind 1 = interval, 2 = clear history, 3 = VS Code roles learnt for processes already recorded
// (json only: {"r": [[id, kind, detail, extensionId, extensionName, hostPid], …]}, nulls for none),
// 4 = an alert event as it started or ended (json only: the AlertEvent, checked when read).

import { alertEvent, type AlertEvent } from '../alerts/types';

export interface NewProcess {
  id: number;
  pid: number;
  startTime: number;
  ppid: number;
  name: string;
  command: string;
  user: string;
}

/** What is stored of a process's VS Code role (the live-only parts, like left-behind, are not). */
export interface StoredRole {
  id: number;
  kind: string;
  detail: string;
  extensionId: string | null;
  extensionName: string | null;
  hostPid: number | null;
}

type RoleTuple = [number, string, string, string | null, string | null, number | null];

export type JournalRecord =
  | {
      kind: 'interval';
      seq: number;
      t: number;
      metrics: [id: number, name: string][];
      processes: NewProcess[];
      sys: Uint8Array;
      proc: Uint8Array;
      /** The process frame's extras (procExtras.ts); null in records of older versions. */
      x: Uint8Array | null;
    }
  | { kind: 'clear'; seq: number; t: number }
  | { kind: 'roles'; seq: number; t: number; roles: StoredRole[] }
  | { kind: 'alert'; seq: number; t: number; event: AlertEvent };

const KIND_CODE = { interval: 1, clear: 2, roles: 3, alert: 4 } as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Strings {
  m: [number, string][];
  p: [number, number, number, number, string, string, string][];
}

export function encodeRecord(r: JournalRecord): Uint8Array {
  const json =
    r.kind === 'interval'
      ? encoder.encode(
          JSON.stringify({
            m: r.metrics,
            p: r.processes.map((p) => [p.id, p.pid, p.startTime, p.ppid, p.name, p.command, p.user]),
          } satisfies Strings),
        )
      : r.kind === 'roles'
        ? encoder.encode(
            JSON.stringify({
              r: r.roles.map((x): RoleTuple => [x.id, x.kind, x.detail, x.extensionId, x.extensionName, x.hostPid]),
            }),
          )
        : r.kind === 'alert'
          ? encoder.encode(JSON.stringify(r.event))
          : new Uint8Array(0);
  const sys = r.kind === 'interval' ? r.sys : new Uint8Array(0);
  const proc = r.kind === 'interval' ? r.proc : new Uint8Array(0);
  const x = r.kind === 'interval' ? r.x : null;
  const parts = x ? [json, sys, proc, x] : [json, sys, proc];
  const out = new Uint8Array(1 + 8 + 8 + parts.reduce((n, p) => n + 4 + p.byteLength, 0));
  const v = new DataView(out.buffer);
  let o = 0;
  v.setUint8(o, KIND_CODE[r.kind]);
  o += 1;
  v.setFloat64(o, r.seq, true);
  o += 8;
  v.setFloat64(o, r.t, true);
  o += 8;
  for (const part of parts) {
    v.setUint32(o, part.byteLength, true);
    o += 4;
    out.set(part, o);
    o += part.byteLength;
  }
  return out;
}

export function decodeRecord(b: Uint8Array): JournalRecord {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let o = 0;
  const kind = v.getUint8(o);
  o += 1;
  const seq = v.getFloat64(o, true);
  o += 8;
  const t = v.getFloat64(o, true);
  o += 8;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < 3; i++) {
    const len = v.getUint32(o, true);
    o += 4;
    if (o + len > b.byteLength) throw new Error('journal record shorter than its parts');
    parts.push(b.slice(o, o + len));
    o += len;
  }
  let x: Uint8Array | null = null;
  if (kind === 1 && o + 4 <= b.byteLength) {
    const len = v.getUint32(o, true);
    o += 4;
    if (o + len > b.byteLength) throw new Error('journal record shorter than its parts');
    x = b.slice(o, o + len);
  }
  if (kind === 2) return { kind: 'clear', seq, t };
  if (kind === 3) return { kind: 'roles', seq, t, roles: decodeRoles(parts[0]!) };
  if (kind === 4) return { kind: 'alert', seq, t, event: decodeAlert(parts[0]!) };
  if (kind !== 1) throw new Error(`unknown journal record kind ${kind}`);
  const strings = JSON.parse(decoder.decode(parts[0])) as Strings;
  return {
    kind: 'interval',
    seq,
    t,
    metrics: strings.m,
    processes: strings.p.map(([id, pid, startTime, ppid, name, command, user]) => ({ id, pid, startTime, ppid, name, command, user })),
    sys: parts[1]!,
    proc: parts[2]!,
    x,
  };
}

function decodeAlert(json: Uint8Array): AlertEvent {
  const parsed: unknown = JSON.parse(decoder.decode(json));
  const wrong = alertEvent(parsed, 'alert');
  if (wrong) throw new Error(`malformed alert record (${wrong})`);
  return parsed as AlertEvent;
}

function decodeRoles(json: Uint8Array): StoredRole[] {
  const parsed = JSON.parse(decoder.decode(json)) as { r?: unknown };
  if (!Array.isArray(parsed.r)) throw new Error('roles record without roles');
  return parsed.r.map((t: unknown) => {
    if (!Array.isArray(t) || t.length !== 6) throw new Error('malformed role in a roles record');
    const [id, kind, detail, extensionId, extensionName, hostPid] = t as unknown[];
    const optStr = (x: unknown): string | null => (typeof x === 'string' ? x : null);
    if (typeof id !== 'number' || typeof kind !== 'string' || typeof detail !== 'string')
      throw new Error('malformed role in a roles record');
    return {
      id,
      kind,
      detail,
      extensionId: optStr(extensionId),
      extensionName: optStr(extensionName),
      hostPid: typeof hostPid === 'number' ? hostPid : null,
    };
  });
}
