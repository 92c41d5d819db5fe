// Vitals' agent tools as VS Code language-model tools, in a real extension host: vscode.lm.tools
// lists them, and vscode.lm.invokeTool of each returns the expected text (no model needed). A bad
// input is a thrown error with the tool's message, and the tools keep answering after it.
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { samples, vitals } from './support/vitals';

const NAMES = [
  'vitals_now',
  'vitals_top_processes',
  'vitals_metric_history',
  'vitals_process_history',
  'vitals_load_by_group',
  'vitals_events',
  'vitals_storage_health',
];

async function invoke(name: string, input: object): Promise<string> {
  const r = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

describe('language-model tools', function () {
  this.timeout(120_000);

  before(async () => {
    const api = await vitals();
    // A few recorded intervals: the tools read the history, not the live snapshot.
    await samples(api, 3);
  });

  it('vscode.lm.tools lists every Vitals tool with its description and schema', () => {
    const mine = vscode.lm.tools.filter((t) => t.name.startsWith('vitals_'));
    assert.deepEqual(
      mine.map((t) => t.name),
      NAMES,
    );
    for (const t of mine) {
      assert.ok(t.description.length > 40, `${t.name} has a description for the model`);
      assert.equal((t.inputSchema as { type?: string } | undefined)?.type, 'object');
    }
  });

  it('invokeTool answers each tool with its text', async () => {
    assert.match(await invoke('vitals_now', {}), /^Machine at .* local time .*\nCPU \d+% of all cores/);
    const top = await invoke('vitals_top_processes', { from: '-15m', limit: 5 });
    assert.match(top, /^Top processes by average CPU, .* from /);
    assert.match(await invoke('vitals_top_processes', { by: 'memory', limit: 3 }), /^Top processes by peak memory, /);
    assert.match(
      await invoke('vitals_metric_history', { metric: 'cpu.total', from: '-10m', points: 5 }),
      /^cpu\.total, .*\nwhole range: avg \d+%/,
    );
    assert.match(await invoke('vitals_process_history', { pid: process.pid, from: '-10m' }), new RegExp(`\\(pid ${process.pid}\\), `));
    // This window's extension host is VS Code's own process, whatever else runs.
    assert.match(
      await invoke('vitals_load_by_group', { by: 'role', from: '-10m' }),
      /^CPU and memory by role, [\s\S]*\bextension-host: CPU avg/,
    );
    assert.match(await invoke('vitals_storage_health', {}), /^Vitals storage health\n {2}File /);
  });

  it('a bad input is an error with the message, and the tools keep answering', async () => {
    await assert.rejects(invoke('vitals_metric_history', { metric: 'cpu.bogus' }), /unknown metric "cpu\.bogus"/);
    await assert.rejects(invoke('vitals_top_processes', { from: 'now', to: '-1h' }), /must be before to/);
    assert.match(await invoke('vitals_now', {}), /^Machine at /);
  });
});
