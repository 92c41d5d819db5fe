// Output a test wants in the runner's console. Inside code-server the extension host's plain
// console.log goes to test-results/vscode-integration/workbench-console.log with the workbench's
// own chatter; lines carrying the runner's mark are shown (see test/integration/index.ts).
import { format } from 'node:util';

export function testLog(...args: unknown[]): void {
  console.log((process.env.VITALS_TEST_LOG_MARK ?? '') + format(...args));
}
