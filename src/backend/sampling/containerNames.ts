// Container names from the Docker and Podman APIs: `GET /containers/json` over their unix sockets
// (`/var/run/docker.sock`, `$XDG_RUNTIME_DIR/podman/podman.sock`, `/run/podman/podman.sock`). Only
// where the user can already read and write the socket: Vitals never asks for more access, and with
// no socket a container is shown by its id. Asked with a timeout, at most once per
// `REFRESH_MS` and only when a process shows a container id we have no name for; the answer is kept.

import { accessSync, constants } from 'node:fs';
import { request } from 'node:http';
import type { ContainerRef, Millis } from '../types';

/** Whoever answers first for an id names it; an id asked about this recently is not asked again. */
const REFRESH_MS = 30_000;
const TIMEOUT_MS = 2_000;
/** The whole answer is small (one entry per container); a bigger one is not a container list. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface ContainerNamesOptions {
  /** Sockets to ask, in order; defaults to Docker's and Podman's usual places. */
  sockets?: string[];
}

export function defaultSockets(env: NodeJS.ProcessEnv = process.env): string[] {
  const list = ['/var/run/docker.sock'];
  if (env.XDG_RUNTIME_DIR) list.push(`${env.XDG_RUNTIME_DIR}/podman/podman.sock`);
  list.push('/run/podman/podman.sock');
  if (env.DOCKER_HOST?.startsWith('unix://')) list.unshift(env.DOCKER_HOST.slice('unix://'.length));
  return [...new Set(list)];
}

export class ContainerNames {
  private readonly names = new Map<string, string>();
  private readonly sockets: string[];
  private askedAt = Number.NEGATIVE_INFINITY;
  private asking: Promise<void> | undefined;

  constructor(opts: ContainerNamesOptions = {}) {
    this.sockets = opts.sockets ?? defaultSockets();
  }

  /** The name we know for a container; asks the runtimes in the background when we know none. */
  nameOf(c: ContainerRef, now: Millis): string | undefined {
    const name = this.names.get(c.id);
    if (name === undefined && c.runtime !== 'lxc' && c.runtime !== 'nspawn') this.refresh(now);
    return name;
  }

  /** Resolves when the current question (if any) is answered: tests wait for it. */
  settled(): Promise<void> {
    return this.asking ?? Promise.resolve();
  }

  private refresh(now: Millis): void {
    if (this.asking || now - this.askedAt < REFRESH_MS) return;
    this.askedAt = now;
    const readable = this.sockets.filter(canUse);
    if (readable.length === 0) return;
    this.asking = Promise.all(readable.map((s) => listContainers(s).then((list) => this.learn(list))))
      .then(() => undefined)
      .finally(() => (this.asking = undefined));
  }

  private learn(list: { id: string; name: string }[]): void {
    for (const c of list) this.names.set(c.id, c.name);
  }
}

function canUse(socket: string): boolean {
  try {
    accessSync(socket, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** `GET /containers/json` over a unix socket; [] on any failure (the ids are shown then). */
export function listContainers(socketPath: string, timeoutMs = TIMEOUT_MS): Promise<{ id: string; name: string }[]> {
  return new Promise((resolve) => {
    const req = request(
      { socketPath, path: '/containers/json', method: 'GET', timeout: timeoutMs, headers: { Host: 'localhost' } },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES) req.destroy();
          else chunks.push(c);
        });
        res.on('end', () => resolve(res.statusCode === 200 ? parseContainerList(Buffer.concat(chunks).toString('utf8')) : []));
        res.on('error', () => resolve([]));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve([]));
    req.end();
  });
}

/**
 * The Docker Engine API's (and Podman's compatible) list: `[{ "Id": "<64hex>", "Names": ["/web"] }]`.
 * Podman's libpod API says `"Id"` and `"Names": ["web"]` too.
 */
export function parseContainerList(body: string): { id: string; name: string }[] {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  const out: { id: string; name: string }[] = [];
  for (const item of v as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { Id, Names } = item as { Id?: unknown; Names?: unknown };
    if (typeof Id !== 'string' || !Array.isArray(Names)) continue;
    const first = (Names as unknown[]).find((n): n is string => typeof n === 'string');
    if (first) out.push({ id: Id, name: first.replace(/^\//, '') });
  }
  return out;
}
