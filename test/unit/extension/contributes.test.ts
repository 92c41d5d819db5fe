// package.json's contributions agree with the code: command ids, views, context keys, activation.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CommandId, ViewId } from '../../../src/extension/commands/ids';
import { ContextKey } from '../../../src/extension/contextKeys';

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  main: string;
  extensionKind: string[];
  engines: { vscode: string };
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    menus: Record<string, MenuItem[]>;
    views: Record<string, { id: string; name: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    viewsWelcome: { view: string; contents: string; when?: string }[];
  };
};
const c = pkg.contributes;
const ids = Object.values(CommandId) as string[];

describe('package.json contributes', () => {
  it('declares exactly the commands the code registers, each in the Vitals category with a codicon', () => {
    expect(c.commands.map((x) => x.command).sort()).toEqual([...ids].sort());
    for (const cmd of c.commands) {
      expect(cmd.category, cmd.command).toBe('Vitals');
      expect(cmd.icon, cmd.command).toMatch(/^\$\([a-z-]+\)$/);
    }
  });

  it('menus name only declared commands and known context keys', () => {
    const known = new Set<string>(Object.values(ContextKey));
    for (const [menu, items] of Object.entries(c.menus)) {
      for (const item of items) {
        expect(ids, `${menu}: ${item.command}`).toContain(item.command);
        for (const key of item.when?.match(/vitals\.[a-z.]+/gi) ?? []) {
          if (key === ViewId.processes || key === ViewId.system) continue;
          expect(known, `${menu}: ${item.when}`).toContain(key);
        }
      }
    }
  });

  it('hides item-only commands from the palette and shows Pause or Resume, not both', () => {
    const palette = new Map(c.menus.commandPalette!.map((m) => [m.command, m.when]));
    for (const id of [CommandId.showProcessHistory, CommandId.copyPid, CommandId.copyCommandLine, CommandId.killProcess])
      expect(palette.get(id), id).toBe('false');
    expect(palette.get(CommandId.pauseRecording)).toBe('vitals.recording');
    expect(palette.get(CommandId.resumeRecording)).toMatch(/!vitals\.recording/);
    expect(palette.get(CommandId.clearProcessFilter)).toBe('vitals.processes.filtered');
  });

  it('offers the process actions in the context menu of the Processes view', () => {
    const ctx = c.menus['view/item/context']!;
    for (const id of [CommandId.showProcessHistory, CommandId.copyPid, CommandId.copyCommandLine, CommandId.killProcess])
      expect(
        ctx.some((m) => m.command === id && m.when?.includes(`view == ${ViewId.processes}`)),
        id,
      ).toBe(true);
  });

  it('contributes the Vitals container with the Processes and System views and welcome content', () => {
    expect(c.viewsContainers.activitybar[0]!.id).toBe(ViewId.container);
    const svg = readFileSync(new URL(`../../../${c.viewsContainers.activitybar[0]!.icon}`, import.meta.url), 'utf8');
    expect(svg).toContain('currentColor');
    expect(c.views[ViewId.container]!.map((v) => v.id)).toEqual([ViewId.processes, ViewId.system]);
    for (const v of [ViewId.processes, ViewId.system])
      expect(c.viewsWelcome.filter((w) => w.view === v).length, v).toBeGreaterThanOrEqual(2);
  });

  it('activates on startup and its own views and commands only, in the workspace', () => {
    // The dashboard panel restores itself after a reload (its WebviewPanelSerializer).
    expect(pkg.activationEvents).toEqual(['onStartupFinished', 'onWebviewPanel:vitals.dashboard']);
    expect(pkg.main).toBe('./dist/extension.js');
    expect(pkg.extensionKind).toEqual(['workspace']);
    expect(pkg.engines.vscode).toBe('^1.100.0');
  });
});
