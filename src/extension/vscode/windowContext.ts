// What only this window knows about VS Code's processes — its extension host pid, workspace,
// terminals, running tasks, installed extensions, the install and its commit — sent to the backend
// (`setWindowContext`), which passes a viewer's on to the recorder over the live feed, so the one
// recorder can label every window's processes.
//
// activate() only registers the listeners: the first context is gathered after a delay, and every
// change (a terminal opened or closed, a task started or ended, extensions installed) is coalesced
// into one send. The backend keeps the context and sends it again itself when a viewer reconnects
// or takes over recording; a restarted worker starts empty, so the context is sent again when the
// client becomes ready.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WindowContext, WindowExtension } from '../../backend';
import type { Logger } from '../log';
import type { WorkerConnection } from '../worker/connection';
import type { ClientState } from '../worker/client';
import { errorText } from '../../shared/errors';

/** Changes come in bursts (a window restoring five terminals): one send after the burst. */
const DEBOUNCE_MS = 500;
/** The first context waits until activation and the first sample are well out of the way. */
const FIRST_SEND_MS = 1500;

/** The protocol's limits (windowContextCheck): a context past them would be refused whole. */
const MAX_TEXT = 4096;
const MAX_LIST = 1000;
const MAX_EXTENSIONS = 2000;

const clip = (s: string | undefined, n = MAX_TEXT): string => (s ?? '').slice(0, n);

export interface WindowContextDeps {
  backend: WorkerConnection;
  /** The client's lifecycle: a worker that (re)starts has no context yet. */
  onDidChangeState: vscode.Event<ClientState>;
  log: Logger;
}

export class WindowContextFeed implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Task executions → the pid of their process (onDidStartTaskProcess), while they run. */
  private readonly tasks = new Map<vscode.TaskExecution, { pid: number; label: string }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private commit: Promise<string> | undefined;
  private disposed = false;
  private sending = false;
  private again = false;
  /** The last context the backend took (tests, and to skip sending the same one twice). */
  lastSent: WindowContext | undefined;
  private lastSentJson = '';

  constructor(private readonly deps: WindowContextDeps) {
    const changed = () => this.schedule(DEBOUNCE_MS);
    this.disposables.push(
      vscode.window.onDidOpenTerminal(changed),
      vscode.window.onDidCloseTerminal(changed),
      vscode.tasks.onDidStartTaskProcess((e) => {
        if (e.processId !== undefined) this.tasks.set(e.execution, { pid: e.processId, label: clip(e.execution.task.name) });
        changed();
      }),
      vscode.tasks.onDidEndTaskProcess((e) => {
        this.tasks.delete(e.execution);
        changed();
      }),
      vscode.extensions.onDidChange(changed),
      vscode.workspace.onDidChangeWorkspaceFolders(changed),
      deps.onDidChangeState((state) => {
        if (state !== 'ready') return;
        // A new worker knows nothing of this window: send it again, even if unchanged.
        this.lastSentJson = '';
        this.schedule(this.lastSent ? DEBOUNCE_MS : FIRST_SEND_MS);
      }),
    );
    this.schedule(FIRST_SEND_MS);
  }

  /** This window's entry for an extension (tooltips: version, path), from the last context sent. */
  extension(id: string): WindowExtension | undefined {
    const lower = id.toLowerCase();
    return this.lastSent?.extensions.find((e) => e.id.toLowerCase() === lower);
  }

  /** Gathers and sends now (tests, and callers that just changed something this window shows). */
  async flush(): Promise<WindowContext> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const context = await this.gather();
    await this.send(context);
    return context;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private schedule(ms: number): void {
    if (this.disposed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((err: unknown) => this.deps.log.debug(`Could not send this window's VS Code context: ${errorText(err)}`));
    }, ms);
  }

  private async send(context: WindowContext): Promise<void> {
    const json = JSON.stringify(context);
    if (json === this.lastSentJson) return;
    // One request at a time; a change during it is sent after it.
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = true;
    try {
      const { windows } = await this.deps.backend.request('setWindowContext', { context });
      this.lastSent = context;
      this.lastSentJson = json;
      this.deps.log.debug(
        `Sent this window's VS Code context (${context.terminals.length} terminals, ${context.tasks.length} tasks, ${context.extensions.length} extensions); the recorder knows ${windows} window(s).`,
      );
    } finally {
      this.sending = false;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    }
  }

  private async gather(): Promise<WindowContext> {
    const terminals = await Promise.all(
      vscode.window.terminals.slice(0, MAX_LIST).map(async (t) => {
        // processId is undefined for a pseudoterminal (no process) and may reject for a terminal
        // closing right now; either way it has no pid to label.
        const pid = await Promise.resolve(t.processId).catch(() => undefined);
        return pid !== undefined && pid > 0 ? { pid, name: clip(t.name) } : undefined;
      }),
    );
    const extensions: WindowExtension[] = vscode.extensions.all.slice(0, MAX_EXTENSIONS).map((e) => {
      const json = e.packageJSON as { displayName?: unknown; version?: unknown } | undefined;
      const name = typeof json?.displayName === 'string' && !json.displayName.startsWith('%') ? json.displayName : '';
      const version = typeof json?.version === 'string' ? json.version : '';
      return { id: clip(e.id, 300), name: clip(name), version: clip(version, 100), path: clip(e.extensionPath) };
    });
    const taskPids = new Set([...this.tasks.values()].map((t) => t.pid));
    return {
      extensionHostPid: process.pid,
      workspace: clip(vscode.workspace.name),
      appRoot: clip(vscode.env.appRoot),
      appName: clip(vscode.env.appName, 200),
      version: clip(vscode.version, 100),
      commit: clip(await this.readCommit(), 100),
      // A task runs in a terminal of its own ("Task - build"): that process is the task's.
      terminals: terminals.filter((t): t is { pid: number; name: string } => t !== undefined && !taskPids.has(t.pid)),
      tasks: [...this.tasks.values()].slice(0, MAX_LIST),
      extensions,
    };
  }

  /** VS Code has no API for its commit; its product.json has it. Read once, '' if it cannot be. */
  private readCommit(): Promise<string> {
    this.commit ??= fs
      .readFile(path.join(vscode.env.appRoot, 'product.json'), 'utf8')
      .then((text) => {
        const commit = (JSON.parse(text) as { commit?: unknown }).commit;
        return typeof commit === 'string' && /^[0-9a-f]{7,64}$/.test(commit) ? commit : '';
      })
      .catch(() => '');
    return this.commit;
  }
}
