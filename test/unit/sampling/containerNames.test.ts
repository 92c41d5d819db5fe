// Container names over a real HTTP server on a unix socket standing in for Docker's, and with no
// socket at all (ids only).

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContainerNames, defaultSockets, listContainers, parseContainerList } from '../../../src/backend/sampling/containerNames';

const ID = '3f6c5b2a9e1d4c7b8a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function fakeDocker(handler: Parameters<typeof createServer>[1]): Promise<{ socket: string; requests: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-docker-'));
  const socket = join(dir, 'docker.sock');
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler!(req, res);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  cleanups.push(
    () => new Promise<void>((resolve) => server.close(() => resolve())),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  return { socket, requests };
}

// The Engine API's answer, trimmed to what matters (docs.docker.com/reference/api/engine: ContainerList).
const BODY = JSON.stringify([
  { Id: ID, Names: ['/web'], Image: 'nginx', State: 'running' },
  { Id: 'b'.repeat(64), Names: ['/db', '/web/db'], Image: 'postgres' },
  { Id: 42, Names: ['/bad'] },
]);

describe('parseContainerList', () => {
  it('takes the first name without its slash and skips malformed entries', () => {
    expect(parseContainerList(BODY)).toEqual([
      { id: ID, name: 'web' },
      { id: 'b'.repeat(64), name: 'db' },
    ]);
    expect(parseContainerList('not json')).toEqual([]);
    expect(parseContainerList('{"message":"denied"}')).toEqual([]);
  });
});

describe('listContainers over a unix socket', () => {
  it('GET /containers/json', async () => {
    const { socket, requests } = await fakeDocker((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(BODY));
    expect(await listContainers(socket)).toHaveLength(2);
    expect(requests).toEqual(['GET /containers/json']);
  });

  it('a runtime that does not answer in time gives no names', async () => {
    const { socket } = await fakeDocker(() => undefined);
    expect(await listContainers(socket, 200)).toEqual([]);
  });

  it('an error status gives no names', async () => {
    const { socket } = await fakeDocker((_req, res) => res.writeHead(500).end('{}'));
    expect(await listContainers(socket)).toEqual([]);
  });
});

describe('ContainerNames', () => {
  it('asks once when an unknown id appears, then names it from the cache', async () => {
    const { socket, requests } = await fakeDocker((_req, res) => res.writeHead(200).end(BODY));
    const names = new ContainerNames({ sockets: [socket] });
    expect(names.nameOf({ runtime: 'docker', id: ID }, 0)).toBeUndefined();
    await names.settled();
    expect(names.nameOf({ runtime: 'docker', id: ID }, 1)).toBe('web');
    // An id the runtime does not know is not asked about again within the refresh interval.
    names.nameOf({ runtime: 'docker', id: 'c'.repeat(64) }, 2);
    await names.settled();
    expect(requests).toHaveLength(1);
  });

  it('no socket: ids only, nothing asked', async () => {
    const names = new ContainerNames({ sockets: [join(tmpdir(), 'no-such-docker.sock')] });
    expect(names.nameOf({ runtime: 'docker', id: ID }, 0)).toBeUndefined();
    await names.settled();
    expect(names.nameOf({ runtime: 'docker', id: ID }, 1)).toBeUndefined();
  });

  it("knows Docker's and Podman's usual sockets", () => {
    expect(defaultSockets({ XDG_RUNTIME_DIR: '/run/user/1000' })).toEqual([
      '/var/run/docker.sock',
      '/run/user/1000/podman/podman.sock',
      '/run/podman/podman.sock',
    ]);
    expect(defaultSockets({ DOCKER_HOST: 'unix:///home/me/.docker/run/docker.sock' })[0]).toBe('/home/me/.docker/run/docker.sock');
  });
});
