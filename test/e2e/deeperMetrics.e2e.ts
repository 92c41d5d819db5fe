// A new user explains a slow machine with the deeper metrics: sorts the Processes view by disk I/O
// and finds the process that writes (a child of this test writing 16 MB/s with fsync), and reads in
// the tooltip of a make-like shell the CPU of the children it ran and reaped. Screenshots kept.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { openActivityBarContainer, runCommand, useWorkbench } from './harness';
import { Journey, miss } from './support/journey';
import { commandWithInput, notificationStartingWith, viewPane } from './support/workbench';

const LABEL = 'e2e-deeper';
const say = (line: string) => console.log(`      ${line}`);

// 4 MB written and fsynced every quarter second, over the same bytes: ~16 MB/s, no disk filled.
const WRITER = `
import os, sys, time
f = open(sys.argv[1], 'wb')
block = b'\\0' * (4 << 20)
while True:
    f.seek(0); f.write(block); f.flush(); os.fsync(f.fileno()); time.sleep(0.25)
`;
// A make-like shell: each second it runs short busy children and waits for them.
const MAKE_LIKE = 'while :; do for i in 1 2 3 4; do sh -c "i=0; while [ \\$i -lt 20000 ]; do i=\\$((i+1)); done"; done; sleep 0.2; done';

describe('e2e: deeper metrics in the Processes view', function () {
  const workbench = useWorkbench({ label: LABEL });
  const j = new Journey(
    () => workbench().page,
    LABEL,
    () => notificationStartingWith(workbench().page, 'Vitals:'),
  );
  const pane = () => viewPane(workbench().page, 'Processes');
  const children: ChildProcess[] = [];
  let dir = '';

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vitals-e2e-writer-'));
    children.push(spawn('python3', ['-c', WRITER, join(dir, 'blob')], { stdio: 'ignore' }));
    children.push(spawn('sh', ['-c', MAKE_LIKE], { stdio: 'ignore' }));
  });

  after(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function sortBy(label: string): Promise<void> {
    const input = await commandWithInput(j, workbench().page, 'Vitals: Sort Processes By…', /Sort/);
    await input.fill(label);
    await workbench().page.keyboard.press('Enter');
  }

  it('sorts by disk I/O and finds the writer first', async function () {
    this.timeout(180_000);
    const { page } = workbench();
    const writer = children[0]!.pid!;
    await openActivityBarContainer(page, 'Vitals', 60_000);
    // A fresh window shows the tree; the writer is deep in it (under this test's runner).
    await j.attempt('"Vitals: Toggle Tree/Flat" to the flat list', () => runCommand(page, 'Vitals: Toggle Tree/Flat'));
    await sortBy('Disk I/O');
    // The list's first row by position (data-index), not by DOM order, which a re-sort may not keep.
    const firstRow = pane().locator('.monaco-list-row[data-index="0"]');
    const first = await j.until(`the writer (python3, pid ${writer}) first when sorted by disk I/O`, async () => {
      const aria = (await firstRow.getAttribute('aria-label', { timeout: 2_000 })) ?? '';
      return aria.includes(`pid ${writer},`) || aria.includes(`pid ${writer} `) ? aria : miss(`first row "${aria.slice(0, 100)}"`);
    });
    say(`first row: ${first.slice(0, 120)}`);
    // Sorted by disk I/O, the row shows the rate it is sorted by.
    if (!/· I\/O [\d.]+ MB\/s/.test(first)) return j.fail(`the writer's row showing its I/O rate in MB/s ("${first}")`);
    // The tooltip names the rate.
    await firstRow.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Disk write' }).first();
    const text = await j.until('the writer’s tooltip with its disk write rate', async () =>
      (await hover.isVisible()) ? ((await hover.innerText()).replace(/\s+/g, ' ') ?? '') : miss('no tooltip yet'),
    );
    const rate = /Disk write\s*([\d.]+ (B|KB|MB|GB)\/s)/.exec(text)?.[1] ?? '';
    if (!/MB\/s/.test(rate)) return j.fail(`the writer's disk write rate in MB/s (tooltip: "${text.slice(0, 200)}")`);
    say(`tooltip: Disk write ${rate}`);
    say(`screenshot: ${await j.shot('sorted-by-io')}`);
    await page.mouse.move(0, 0);
  });

  it('shows the CPU of the finished children of a make-like shell', async function () {
    this.timeout(180_000);
    const { page } = workbench();
    const shell = children[1]!.pid!;
    const input = await commandWithInput(j, page, 'Vitals: Filter Processes…', /Filter Processes/);
    await input.fill(String(shell));
    await page.keyboard.press('Enter');
    const row = pane()
      .locator('.monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: /^sh$/ }) })
      .first();
    await j.visible(row, `the shell (pid ${shell}) in the filtered view`);
    const text = await j.until('the shell’s tooltip naming the CPU of its finished children', async () => {
      await page.mouse.move(0, 0);
      await row.hover();
      const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'finished children' }).first();
      try {
        await hover.waitFor({ state: 'visible', timeout: 3_000 });
      } catch {
        return miss('no tooltip');
      }
      const t = (await hover.innerText()).replace(/\s+/g, ' ');
      const m = /children ([\d.]+)%\)/.exec(t);
      return m && Number(m[1]) > 0 ? t : miss(`tooltip "${t.slice(0, 160)}"`);
    });
    say(`tooltip: ${/CPU incl\. finished children[^)]*\)/.exec(text)?.[0] ?? text.slice(0, 160)}`);
    say(`screenshot: ${await j.shot('finished-children')}`);
    await runCommand(page, 'Vitals: Clear Filter');
  });
});
