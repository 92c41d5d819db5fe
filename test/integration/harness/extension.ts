// The Vitals extension as the integration tests see it inside the extension host.
import * as vscode from 'vscode';
import manifest from '../../../package.json';

export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

export function vitalsExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) {
    const ids = vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.'));
    throw new Error(`${EXTENSION_ID} is not loaded in this extension host (non-builtin: ${ids.join(', ') || 'none'})`);
  }
  return ext;
}

// Activates Vitals (a no-op if it already is) and returns it with whatever activate() returned.
export async function activateVitals(): Promise<vscode.Extension<unknown>> {
  const ext = vitalsExtension();
  await ext.activate();
  return ext;
}
