// The architecture's dependency rules, enforced by scanning imports.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(__dirname, '../..');
function files(dir: string): string[] {
  const abs = join(root, dir);
  try {
    statSync(abs);
  } catch {
    return [];
  }
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(abs, f));
}
const imports = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)/g)].map(
    (m) => m[1] ?? m[2] ?? '',
  );

describe('dependency rules', () => {
  it('src/backend never imports vscode, the extension or the webview', () => {
    for (const f of files('src/backend')) {
      for (const spec of imports(f)) {
        expect(spec, relative(root, f)).not.toBe('vscode');
        expect(spec, relative(root, f)).not.toMatch(/(^|\/)(extension|media)(\/|$)/);
      }
    }
  });

  it('src/extension reaches the backend only through its public entry', () => {
    const backend = join(root, 'src/backend');
    for (const f of files('src/extension')) {
      for (const spec of imports(f)) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(f), spec);
        if (!target.startsWith(backend)) continue;
        expect([backend, join(backend, 'index')], `${relative(root, f)} imports ${spec}`).toContain(target);
      }
    }
  });

  it('src/shared is pure: it imports only itself, and types from the backend entry', () => {
    const shared = join(root, 'src/shared');
    const backendEntry = [join(root, 'src/backend'), join(root, 'src/backend/index')];
    for (const f of files('src/shared')) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[2] ?? '';
        const where = `${relative(root, f)} imports ${spec}`;
        expect(spec.startsWith('.'), `${where}: no packages, no Node, no vscode`).toBe(true);
        const target = resolve(dirname(f), spec);
        if (target.startsWith(shared)) continue;
        expect(backendEntry, where).toContain(target);
        expect(m[1], `${where}: only with import type`).toBe('type ');
      }
    }
  });

  it('src/cli never imports the extension or the webview', () => {
    for (const f of files('src/cli')) {
      for (const spec of imports(f)) {
        expect(spec, relative(root, f)).not.toBe('vscode');
        expect(spec, relative(root, f)).not.toMatch(/(^|\/)(extension|media)(\/|$)/);
      }
    }
  });

  it('media/ imports src/shared, and anything else under src/ with import type only', () => {
    // media/dev/ is the dashboard's development harness (a Node script), not webview code.
    for (const f of files('media').filter((f) => !f.includes(`${join('media', 'dev')}/`))) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/^import\s+(type\s+)?[^;]*from\s+['"]((?:\.\.\/)+src\/[^'"]+)['"]/gm)) {
        if (resolve(dirname(f), m[2] ?? '').startsWith(join(root, 'src/shared'))) continue;
        expect(m[1], `${relative(root, f)}: ${m[0]}`).toBe('type ');
      }
    }
  });
});
