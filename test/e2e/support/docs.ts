// The README's screenshots (docs/screenshots/) come from the e2e run, so they show the product as it
// is. They are rewritten only when asked: VITALS_UPDATE_DOCS=1 npm run test:e2e. A normal run (CI)
// never touches the working tree.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../runners/paths';

export const updateDocs = process.env.VITALS_UPDATE_DOCS === '1';

export const docsScreenshotsDir = join(repoRoot, 'docs', 'screenshots');

/** How long Vitals records before the README's screenshots, so the Live charts have a history. */
export const docsRecordMs = (Number(process.env.VITALS_DOCS_RECORD_SECONDS) || 240) * 1000;

/** Copies a screenshot from test-results/ to docs/screenshots/<name>.png; returns the new path. */
export function publishScreenshot(
  from: string,
  name:
    | 'sidebar'
    | 'dashboard-light'
    | 'dashboard-dark'
    | 'vscode-grouping'
    | 'vscode-dashboard-light'
    | 'vscode-dashboard-dark'
    | 'vscode-left-behind-dark',
): string {
  mkdirSync(docsScreenshotsDir, { recursive: true });
  const to = join(docsScreenshotsDir, `${name}.png`);
  copyFileSync(from, to);
  return to;
}
