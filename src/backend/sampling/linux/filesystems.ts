// Usage of the real filesystems: what `df` would list without tmpfs, overlay layers, cgroups, network
// mounts and other pseudo filesystems. statfs can hang on a network mount, so those are excluded by
// type, and the list is refreshed at most every REFRESH_MS (disk usage moves slowly).

import { readFileSync, statfsSync, statSync } from 'node:fs';
import type { FilesystemUsage, Millis } from '../../types';

export const FILESYSTEM_REFRESH_MS = 30_000;

const REAL_TYPES = new Set([
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'bcachefs',
  'zfs',
  'f2fs',
  'jfs',
  'reiserfs',
  'nilfs2',
  'vfat',
  'msdos',
  'exfat',
  'ntfs',
  'ntfs3',
  'fuseblk',
  'apfs',
  'hfs',
  'hfsplus',
  'ufs',
]);

export interface MountEntry {
  device: string;
  mount: string;
  fstype: string;
}

/** /proc/self/mounts escapes space, tab, newline and backslash as octal. */
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Real filesystems from a mounts table: the root mount whatever its type, one mount per device. */
export function selectMounts(mountsText: string): MountEntry[] {
  // A later mount on the same path hides the earlier one.
  const byPath = new Map<string, MountEntry>();
  for (const line of mountsText.split('\n')) {
    const parts = line.split(' ');
    if (parts.length < 3) continue;
    const e = { device: unescapeMount(parts[0]!), mount: unescapeMount(parts[1]!), fstype: parts[2]! };
    if (e.mount === '/' || REAL_TYPES.has(e.fstype)) {
      byPath.delete(e.mount);
      byPath.set(e.mount, e);
    } else {
      byPath.delete(e.mount);
    }
  }
  // Bind mounts and btrfs subvolumes show one device several times; they share its space, so keep the
  // shortest mount path (the root of it, usually).
  const byDevice = new Map<string, MountEntry>();
  for (const e of byPath.values()) {
    const seen = byDevice.get(e.device);
    if (!seen || e.mount.length < seen.mount.length) byDevice.set(e.device, e);
  }
  return [...byDevice.values()].sort((a, b) => a.mount.localeCompare(b.mount));
}

export class FilesystemReader {
  private last: FilesystemUsage[] = [];
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly mountsPath: string) {}

  read(now: Millis): FilesystemUsage[] {
    if (now - this.readAt < FILESYSTEM_REFRESH_MS && now >= this.readAt) return this.last;
    this.readAt = now;
    let text: string;
    try {
      text = readFileSync(this.mountsPath, 'utf8');
    } catch {
      return this.last;
    }
    const out: FilesystemUsage[] = [];
    for (const m of selectMounts(text)) {
      try {
        // Files bind-mounted into containers (/etc/hosts) are not filesystems to show.
        if (m.mount !== '/' && !statSync(m.mount).isDirectory()) continue;
        const s = statfsSync(m.mount);
        if (s.blocks <= 0) continue;
        out.push({ mount: m.mount, fstype: m.fstype, sizeBytes: s.blocks * s.bsize, usedBytes: (s.blocks - s.bfree) * s.bsize });
      } catch {
        // unmounted meanwhile, or not ours to look at
      }
    }
    this.last = out;
    return out;
  }
}
