// Whether two paths name the same file. Comparing path strings lets `./db`, `dir/../db`, a symlink
// or a hard link to the database pass for "another file"; the real path of the folder plus the
// inode does not.
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The path with every symlink resolved. A file that does not exist (yet) keeps its name inside its
 * folder's real path; a folder that does not exist either is resolved as far as it exists.
 */
export function realPathOf(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const dir = dirname(abs);
    return dir === abs ? abs : join(realPathOf(dir), basename(abs));
  }
}

/** Whether `a` and `b` are one file: the same real path, or the same inode (hard links). */
export function sameFile(a: string, b: string): boolean {
  if (realPathOf(a) === realPathOf(b)) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.ino === sb.ino && sa.dev === sb.dev;
  } catch {
    return false;
  }
}

/** Whether `path` itself is a symbolic link (whether or not it points anywhere). */
export function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
