// Which container a process runs in, from its cgroup. `/proc/<pid>/cgroup` lists one line per
// hierarchy, `<id>:<controllers>:<path>` (cgroup v1: several; v2: the single `0::<path>`; hybrid:
// both). Container runtimes put each container in a cgroup whose last segments name it:
//
//   Docker      /docker/<64hex>                          (v1, cgroupfs driver)
//               /system.slice/docker-<64hex>.scope        (systemd driver, v1 or v2)
//   Podman      /machine.slice/libpod-<64hex>.scope       (root)
//               /user.slice/…/user@1000.service/user.slice/libpod-<64hex>.scope (rootless)
//               /libpod_parent/libpod-<64hex>             (v1, cgroupfs)
//   containerd  /system.slice/cri-containerd-<64hex>.scope, /k8s.io/<64hex>, /default/<64hex> (nerdctl)
//   CRI-O       /…/crio-<64hex>.scope
//   Kubernetes  /kubepods/burstable/pod<uid>/<64hex>      (cgroupfs driver)
//               /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_>.slice/cri-containerd-<64hex>.scope
//   LXC         /lxc/<name>, /lxc.payload.<name>
//   nspawn      /machine.slice/systemd-nspawn@<name>.service
//
// Everything else (systemd services, user slices, session scopes, `/`) is the host. Inside a
// container with its own cgroup namespace, its processes show `/`: they are "the host" as far as
// that container can see, which is right for a view that runs there.
//
// Pure functions over the file's text; the sampler reads the file once per process identity.

import type { ContainerRef } from '../../types';

/** The cgroup paths of one process, v2's first (it is the one hierarchy on a modern system). */
export function parseCgroupFile(text: string): string[] {
  const v2: string[] = [];
  const v1: string[] = [];
  for (const line of text.split('\n')) {
    // The path may itself contain ':' (rare, but legal): split on the first two only.
    const a = line.indexOf(':');
    const b = a < 0 ? -1 : line.indexOf(':', a + 1);
    if (b < 0) continue;
    const path = line.slice(b + 1).trim();
    if (path === '') continue;
    if (line.slice(0, a) === '0' && a + 1 === b) v2.push(path);
    else v1.push(path);
  }
  return [...v2, ...v1];
}

const HEX64 = /^[0-9a-f]{64}$/;
const SCOPE = /^(docker|libpod|cri-containerd|crio)-([0-9a-f]{64})\.scope$/;
const SLICE_POD = /^kubepods(?:-[a-z]+)?-pod([0-9a-f_-]{36})\.slice$/;
const DIR_POD = /^pod([0-9a-f-]{36})$/;

const SCOPE_RUNTIME: Record<string, ContainerRef['runtime']> = {
  docker: 'docker',
  libpod: 'podman',
  'cri-containerd': 'containerd',
  crio: 'cri-o',
};

/** The container a cgroup path names, or undefined for the host (systemd units, slices, `/`). */
export function containerOfPath(path: string): ContainerRef | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  let pod: string | undefined;
  let kube = false;
  let found: ContainerRef | undefined;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const parent = i > 0 ? segments[i - 1]! : '';
    if (seg === 'kubepods' || seg.startsWith('kubepods.') || seg.startsWith('kubepods-')) kube = true;
    const slicePod = SLICE_POD.exec(seg);
    if (slicePod) pod = slicePod[1]!.replace(/_/g, '-');
    const dirPod = DIR_POD.exec(seg);
    if (dirPod && kube) pod = dirPod[1];
    const scope = SCOPE.exec(seg);
    if (scope) {
      found = { runtime: SCOPE_RUNTIME[scope[1]!]!, id: scope[2]! };
      continue;
    }
    if (HEX64.test(seg)) {
      // A bare id: under its runtime's directory, or a container of a pod (cgroupfs driver).
      if (parent === 'docker') found = { runtime: 'docker', id: seg };
      else if (parent === 'libpod_parent' || parent.startsWith('libpod-')) found = { runtime: 'podman', id: seg };
      else if (parent === 'k8s.io' || parent === 'default' || parent === 'moby')
        found = { runtime: parent === 'moby' ? 'docker' : 'containerd', id: seg };
      else if (pod !== undefined) found = { runtime: 'kubernetes', id: seg };
      continue;
    }
    const libpod = /^libpod-([0-9a-f]{64})$/.exec(seg);
    if (libpod && parent === 'libpod_parent') {
      found = { runtime: 'podman', id: libpod[1]! };
      continue;
    }
    if (parent === 'lxc' && i === 1) {
      found = { runtime: 'lxc', id: seg };
      continue;
    }
    const lxcPayload = /^lxc\.payload\.(.+)$/.exec(seg);
    if (lxcPayload) {
      found = { runtime: 'lxc', id: lxcPayload[1]! };
      continue;
    }
    const nspawn = /^systemd-nspawn@(.+)\.service$/.exec(seg);
    if (nspawn) found = { runtime: 'nspawn', id: nspawn[1]!.replace(/\\x2d/g, '-') };
  }
  // A pod's containers are Kubernetes' whatever runtime runs them: the pod is what people know.
  if (found && pod !== undefined) return { runtime: 'kubernetes', id: found.id, pod };
  return found;
}

/** The container of a process from the text of its `/proc/<pid>/cgroup`. */
export function containerOfCgroupFile(text: string): ContainerRef | undefined {
  for (const path of parseCgroupFile(text)) {
    const c = containerOfPath(path);
    if (c) return c;
  }
  return undefined;
}
