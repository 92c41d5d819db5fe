// Mocha wiring for e2e files: one workbench per describe block, and on any failed test a screenshot,
// the webview console errors and the tail of the extension host log, printed with their paths.
import { after, afterEach, before } from 'mocha';
import { copiedLogPath, tail } from '../../runners/codeServer';
import { screenshot, webviewErrors, exthostLogFiles } from './artifacts';
import { openWorkbench, type Workbench, type WorkbenchOptions } from './workbench';
import { errorText } from '../../../src/shared/errors';
import { extensionId } from '../../runners/paths';

export function useWorkbench(opts: WorkbenchOptions): () => Workbench {
  let wb: Workbench | undefined;
  before(async function () {
    // Installing the vsix, starting the server and the first workbench load on a busy machine.
    this.timeout(240_000);
    wb = await openWorkbench(opts);
  });
  afterEach(async function () {
    const test = this.currentTest;
    if (!wb || !test || test.state !== 'failed') return;
    const lines: string[] = [];
    try {
      lines.push(`screenshot: ${await screenshot(wb.page, `${opts.label}-${test.fullTitle()}-failure`)}`);
    } catch (err) {
      lines.push(`screenshot failed: ${errorText(err)}`);
    }
    for (const e of webviewErrors(wb.console)) lines.push(`webview console ${e.type}: ${e.text} (${e.url})`);
    for (const f of exthostLogFiles(wb.server).filter((f) => /remoteexthost\.log$/.test(f))) {
      lines.push(`extension host log (kept at ${copiedLogPath(wb.server, f)}):\n${tail(f, 30)}`);
    }
    // Vitals' own log says what its commands received and did, which the screen cannot show.
    for (const f of exthostLogFiles(wb.server).filter((f) => f.toLowerCase().includes(extensionId().toLowerCase()))) {
      lines.push(`Vitals log (kept at ${copiedLogPath(wb.server, f)}):\n${tail(f, 30)}`);
    }
    console.error(lines.map((l) => `      ${l}`).join('\n'));
  });
  after(async function () {
    this.timeout(60_000);
    await wb?.close();
    wb = undefined;
  });
  return () => {
    if (!wb) throw new Error('the workbench is not open (its before() hook failed?)');
    return wb;
  };
}
