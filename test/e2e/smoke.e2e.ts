// The packaged extension installs into a fresh VS Code (code-server) and the workbench comes up.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'mocha';
import { extensionId } from '../runners/paths';
import { screenshot, useWorkbench } from './harness';

describe('smoke: packaged Vitals in code-server', () => {
  const workbench = useWorkbench({ label: 'e2e-smoke' });

  it('installed the vsix into the fresh extensions folder', () => {
    const { server } = workbench();
    const installed = readdirSync(server.extensionsDir).map((d) => d.toLowerCase());
    assert.ok(
      installed.some((d) => d.startsWith(`${extensionId().toLowerCase()}-`)),
      `no ${extensionId()} in ${server.extensionsDir}: ${installed.join(', ')}`,
    );
  });

  it('opens the workbench', async () => {
    const { page } = workbench();
    assert.equal(await page.locator('.monaco-workbench').count(), 1);
    const shot = await screenshot(page, 'e2e-smoke-workbench');
    console.log(`      screenshot: ${shot}`);
  });
});
