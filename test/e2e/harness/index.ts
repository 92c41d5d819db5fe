// The e2e harness: a packaged Vitals in a fresh code-server, driven through headless Chromium.
export { artifactName, collectConsole, exthostLog, exthostLogFiles, extensionLog, screenshot, webviewErrors } from './artifacts';
export type { ConsoleEntry } from './artifacts';
export { useWorkbench } from './mocha';
export { ensureVsix, packageVsix, vsixPath } from './package';
export { openActivityBarContainer, runCommand, treeRows, waitForNotification, waitForWorkbench, webviewContent } from './ui';
export { openWorkbench } from './workbench';
export type { Workbench, WorkbenchOptions } from './workbench';
