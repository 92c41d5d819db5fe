// What a failing e2e step leaves behind to look at: screenshots in test-results/, the extension
// host's logs, and the console errors of the workbench and its webviews.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { CodeServer } from '../../runners/codeServer';
import { testResultsDir } from '../../runners/paths';

export function artifactName(step: string): string {
  return (
    step
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'step'
  );
}

// Saves test-results/<step>.png and returns its path.
export async function screenshot(page: Page, step: string): Promise<string> {
  mkdirSync(testResultsDir, { recursive: true });
  const file = join(testResultsDir, `${artifactName(step)}.png`);
  await page.screenshot({ path: file });
  return file;
}

export type ConsoleEntry = { type: string; text: string; url: string; webview: boolean };

// Playwright does not say which frame a console message came from, so it is told by URL: webview
// documents are served from .../contrib/webview/browser/pre/ (the host page and the content frame
// inside it) and their resources (the extension's scripts and styles) from *.vscode-resource.vscode-cdn.net.
const isWebviewUrl = (url: string) =>
  url.includes('/contrib/webview/browser/pre/') || url.includes('.vscode-resource.') || url.startsWith('vscode-webview:');

// Records console messages and uncaught errors of the page and all its frames, webviews included.
export function collectConsole(page: Page): ConsoleEntry[] {
  const entries: ConsoleEntry[] = [];
  page.on('console', (msg) => {
    const url = msg.location().url || '';
    entries.push({ type: msg.type(), text: msg.text(), url, webview: isWebviewUrl(url) });
  });
  page.on('pageerror', (err) => {
    entries.push({ type: 'pageerror', text: err.stack ?? err.message, url: page.url(), webview: false });
  });
  return entries;
}

export const webviewErrors = (entries: readonly ConsoleEntry[]): ConsoleEntry[] =>
  entries.filter((e) => e.webview && (e.type === 'error' || e.type === 'pageerror'));

// Extension host logs of the running server (in code-server: logs/<stamp>/exthost<N>/remoteexthost.log,
// and one folder per extension output channel, e.g. exthost1/vitals-dev.vitals/Vitals.log).
export function exthostLogFiles(server: CodeServer): string[] {
  return server.logFiles().filter((f) => /[\\/]exthost\d*[\\/]/.test(f));
}
