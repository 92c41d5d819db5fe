// A user groups the Processes view by container: on this machine (no container runtime) every
// process sits under "Host", whose row sums them; the System view keeps its rows. Screenshot kept.
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { openActivityBarContainer, runCommand, screenshot, treeRows, useWorkbench } from './harness';

describe('e2e: Containers grouping', () => {
  const workbench = useWorkbench({ label: 'e2e-containers' });

  it('groups the Processes view by container with sums on the group rows', async () => {
    const { page } = workbench();
    await openActivityBarContainer(page, 'Vitals');
    await treeRows(page, /\d+(\.\d)?% · /)
      .first()
      .waitFor({ state: 'visible', timeout: 90_000 });
    await runCommand(page, 'Vitals: Group Processes by Container');
    const group = treeRows(page, /\d+ process(es)?$/).first();
    await group.waitFor({ state: 'visible', timeout: 60_000 });
    const text = (await group.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /% · [\d.]+ [KMG]?B · \d+ process(es)?$/);
    const shot = await screenshot(page, 'e2e-containers-grouping');
    console.log(`      screenshot: ${shot}; first group row: ${text}`);
  });
});
