// The e2e harness: a packaged Vitals in a fresh code-server, driven through headless Chromium.
export { exthostLogFiles, screenshot, webviewErrors } from './artifacts';
export { useWorkbench } from './mocha';
export { openActivityBarContainer, runCommand, treeRows, webviewContent } from './ui';
export { openWorkbench } from './workbench';
