// Which container a process is in, from /proc/<pid>/cgroup: every runtime's path form over the
// fixtures (test/fixtures/cgroup/), this machine's own processes live, and the sampler carrying it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerOfCgroupFile, containerOfPath, parseCgroupFile } from '../../../src/backend/sampling/linux/cgroup';
import { LinuxProcessSampler } from '../../../src/backend/sampling/linux/processSampler';
import { containerKey, containerLabel, shortContainerId } from '../../../src/shared/containers';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../fixtures/cgroup', name), 'latin1');

const K8S_ID = '4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b';
const POD = '8f2b0e1c-3d4a-4b5c-9d6e-7f8a9b0c1d2e';

describe('containerOfCgroupFile over each runtime', () => {
  it.each([
    ['docker-v1-cgroupfs.txt', { runtime: 'docker', id: '3f6c5b2a9e1d4c7b8a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3' }],
    ['docker-v2-systemd.txt', { runtime: 'docker', id: '8d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e' }],
    ['podman-root-v2.txt', { runtime: 'podman', id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90' }],
    ['podman-rootless-v2.txt', { runtime: 'podman', id: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' }],
    ['podman-v1-cgroupfs.txt', { runtime: 'podman', id: 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210' }],
    ['containerd-cri-v2.txt', { runtime: 'containerd', id: '5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d' }],
    ['nerdctl-default-v2.txt', { runtime: 'containerd', id: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b' }],
    ['kubernetes-v1-cgroupfs.txt', { runtime: 'kubernetes', id: K8S_ID, pod: POD }],
    ['kubernetes-v2-systemd.txt', { runtime: 'kubernetes', id: K8S_ID, pod: POD }],
    [
      'kubernetes-crio-guaranteed.txt',
      {
        runtime: 'kubernetes',
        id: '7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e',
        pod: '1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
      },
    ],
    ['lxc-v2.txt', { runtime: 'lxc', id: 'devbox' }],
    ['nspawn-v2.txt', { runtime: 'nspawn', id: 'debian-test' }],
  ])('%s', (file, expected) => {
    expect(containerOfCgroupFile(fixture(file))).toEqual(expected);
  });

  it.each(['systemd-service-v2.txt', 'user-session-v2.txt', 'hybrid-host.txt', 'podman-conmon-v2.txt'])(
    '%s is the host (services, sessions, a runtime monitor are not containers)',
    (file) => {
      expect(containerOfCgroupFile(fixture(file))).toBeUndefined();
    },
  );
});

describe('parseCgroupFile', () => {
  it('puts the v2 path first and keeps colons inside a path', () => {
    expect(parseCgroupFile('4:memory:/a\n0::/b:c\n1:name=systemd:/d\n')).toEqual(['/b:c', '/a', '/d']);
  });

  it('ignores blank and malformed lines', () => {
    expect(parseCgroupFile('\nnonsense\n0::\n')).toEqual([]);
  });

  it('does not take a 64-hex directory anywhere for a container', () => {
    expect(containerOfPath(`/user.slice/${K8S_ID}`)).toBeUndefined();
    expect(containerOfPath('/')).toBeUndefined();
  });
});

describe('labels', () => {
  it('names a container by its name, else runtime and short id', () => {
    expect(shortContainerId(K8S_ID)).toBe('4c3b2a1f0e9d');
    expect(containerLabel({ runtime: 'docker', id: K8S_ID })).toBe('docker 4c3b2a1f0e9d');
    expect(containerLabel({ runtime: 'docker', id: K8S_ID, name: 'web' })).toBe('web (docker)');
    expect(containerLabel({ runtime: 'kubernetes', id: K8S_ID, pod: POD })).toBe('pod 8f2b0e1c 4c3b2a1f0e9d');
    expect(containerKey({ runtime: 'lxc', id: 'devbox' })).toBe('lxc:devbox');
  });
});

describe('live on this machine', () => {
  it("reads this process's own cgroup and agrees with the sampler", () => {
    const own = containerOfCgroupFile(readFileSync('/proc/self/cgroup', 'latin1'));
    const sampler = new LinuxProcessSampler({ commandLine: 'off' });
    try {
      const first = sampler.sampleSync(Date.now());
      const me = first.find((p) => p.pid === process.pid);
      expect(me).toBeDefined();
      expect(me!.container).toEqual(own);
      // Once per process identity: a second sample reads no cgroup file again.
      const reads = sampler.counters.cgroupReads;
      expect(reads).toBeGreaterThanOrEqual(first.length);
      const second = sampler.sampleSync(Date.now() + 1000);
      const newcomers = second.filter((p) => !first.some((q) => q.pid === p.pid && q.startTime === p.startTime)).length;
      expect(sampler.counters.cgroupReads - reads).toBeLessThanOrEqual(newcomers + 5);
    } finally {
      sampler.dispose();
    }
  });
});
