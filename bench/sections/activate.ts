// activate() of the production bundle (out/bench/ext/dist/extension.js, built like the .vsix's) in a
// host-like Node process with a fake `vscode` module (bench/lib/fakeVscode.ts): timing only, not
// VS Code itself. "First tree render" is from the start of activate() until the Processes view has
// data and its visible rows were produced (getChildren + getTreeItem of every row VS Code would
// draw: the roots and the children of expanded nodes), which includes the worker starting, sql.js
// loading, the database opening and the first sample.
import { mkdtempSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeVscode, fakeContext, type CapturedTree } from '../lib/fakeVscode';

export interface ActivateParams {
  extensionDir: string;
}

export interface ActivateResult {
  requireMs: number;
  activateMs: number;
  firstRenderMs: number;
  renderMs: number;
  rows: number;
  error?: string;
}

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Rows VS Code would draw right away: roots, and the children of nodes it shows expanded. */
function render(tree: CapturedTree): number {
  let rows = 0;
  const visit = (element: unknown, depth: number): void => {
    const children = tree.provider.getChildren(element) as unknown[] | undefined;
    for (const c of children ?? []) {
      rows++;
      const item = tree.provider.getTreeItem(c) as { collapsibleState?: number };
      if (item.collapsibleState === 2 && depth < 32) visit(c, depth + 1);
    }
  };
  visit(undefined, 0);
  return rows;
}

export async function activateOnce(p: ActivateParams): Promise<ActivateResult> {
  const fake = createFakeVscode();
  const mod = Module as unknown as { _load: Loader };
  const original = mod._load;
  mod._load = function (request, parent, isMain) {
    if (request === 'vscode') return fake.module;
    return original.call(this, request, parent, isMain);
  };
  const storage = mkdtempSync(join(tmpdir(), 'vitals-bench-activate-'));
  const context = fakeContext(p.extensionDir, storage);
  const entry = join(p.extensionDir, 'dist', 'extension.js');
  let ext: { activate(c: unknown): unknown; deactivate?(): unknown } | undefined;
  try {
    const r0 = performance.now();
    ext = createRequire(entry)(entry) as typeof ext;
    const requireMs = performance.now() - r0;
    const a0 = performance.now();
    ext!.activate(context);
    const activateMs = performance.now() - a0;
    const processes = fake.trees.find((t) => t.id === 'vitals.processes');
    if (!processes) throw new Error('the extension created no vitals.processes tree view');
    let rows = 0;
    let renderMs = NaN;
    const deadline = performance.now() + 60_000;
    for (;;) {
      const s0 = performance.now();
      rows = render(processes);
      renderMs = performance.now() - s0;
      if (rows > 0 || performance.now() > deadline) break;
      // VS Code asks again when the provider fires onDidChangeTreeData; polling every 5 ms is close.
      await sleep(5);
    }
    const firstRenderMs = performance.now() - a0;
    if (rows === 0) throw new Error('the Processes view stayed empty for 60 s');
    return { requireMs, activateMs, firstRenderMs, renderMs, rows };
  } finally {
    try {
      await ext?.deactivate?.();
      for (const d of (context.subscriptions as { dispose(): unknown }[]) ?? []) d.dispose();
    } catch {
      // timing is done; a failing dispose does not change it
    }
    mod._load = original;
    rmSync(storage, { recursive: true, force: true });
  }
}
