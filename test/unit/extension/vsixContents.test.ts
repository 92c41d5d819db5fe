// What the .vsix ships, as vsce lists it from .vscodeignore: the README's images must be inside it,
// or its page in VS Code's Extensions view shows broken pictures (links stay relative: the package
// script passes --no-rewrite-relative-links, and there is no repository to point them at).
// vsce lists only files that exist, so the bundles and their wasm are built first, as `npm run
// package` does (CI runs this suite on a clean clone, before anything else has built dist/).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../..');

describe('the .vsix contents', () => {
  execFileSync(process.execPath, [join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'ignore' });
  const listed = execFileSync(join(root, 'node_modules/.bin/vsce'), ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

  it('holds every image the README shows', () => {
    const images = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
    expect(images.length).toBeGreaterThan(0);
    for (const img of images) expect(listed, img).toContain(img);
  });

  it("ships both SQLite engines' wasm: the store's (sql.js) and the SQLite export's (node-sqlite3-wasm)", () => {
    expect(listed).toEqual(expect.arrayContaining(['dist/sql-wasm.wasm', 'dist/node-sqlite3-wasm.wasm']));
  });

  it('ships no sources, tests or source maps', () => {
    expect(listed.filter((f) => /^(src|test|bench|scripts)\/|\.map$|\.ts$/.test(f))).toEqual([]);
  });
});
