// Vitals loads into a real VS Code extension host and activates cleanly.
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateVitals, vitalsExtension } from './harness/extension';

describe('activation', () => {
  it(`${EXTENSION_ID} is loaded in the extension host`, () => {
    const ext = vitalsExtension();
    assert.equal(ext.id.toLowerCase(), EXTENSION_ID.toLowerCase());
  });

  it('activates without throwing', async () => {
    const ext = await activateVitals();
    assert.equal(ext.isActive, true);
  });

  it('runs in a real VS Code with a workspace open', () => {
    assert.ok(vscode.version.length > 0);
    assert.ok((vscode.workspace.workspaceFolders?.length ?? 0) > 0, 'the runner opens a workspace folder');
  });
});
