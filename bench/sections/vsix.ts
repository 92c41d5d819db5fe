// The .vsix as `vsce package` builds it, from a copy of the working tree (its `vscode:prepublish`
// rebuilds dist/ in production mode, which must not disturb the dist/ other tools are using).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const SKIP = new Set(['.git', 'node_modules', 'dist', 'out', '.vscode-test', 'test-results', 'bench', 'test']);

export interface VsixResult {
  bytes: number;
  files: number;
}

export async function vsixSize(root: string): Promise<VsixResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-vsix-'));
  try {
    for (const e of readdirSync(root)) {
      if (SKIP.has(e) || e.endsWith('.vsix')) continue;
      cpSync(join(root, e), join(dir, e), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    const out = join(dir, 'vitals.vsix');
    const vsce = join(root, 'node_modules', '.bin', 'vsce');
    if (!existsSync(vsce)) throw new Error('node_modules/.bin/vsce is missing (npm install)');
    const { stdout } = await run(
      vsce,
      ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out],
      {
        cwd: dir,
        maxBuffer: 16 * 1024 * 1024,
        timeout: 300_000,
      },
    );
    const files = /\((\d+) files?/.exec(stdout);
    return { bytes: statSync(out).size, files: files ? Number(files[1]) : NaN };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
