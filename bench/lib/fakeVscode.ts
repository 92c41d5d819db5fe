// Just enough of the `vscode` module for the extension to activate outside VS Code, for timing
// only: events work, trees are captured so the benchmark can render them, and every other call
// returns a harmless stand-in (a callable proxy that is also a Disposable).
import { join } from 'node:path';

export class Disposable {
  constructor(private fn?: () => void) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  dispose(): void {
    const f = this.fn;
    this.fn = undefined;
    f?.();
  }
}

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>, thisArg?: unknown, disposables?: Disposable[]): Disposable => {
    const f: Listener<T> = thisArg ? listener.bind(thisArg) : listener;
    this.listeners.add(f);
    const d = new Disposable(() => this.listeners.delete(f));
    disposables?.push(d);
    return d;
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** A stand-in for anything not modelled: callable, any property is another stand-in, disposable, not a thenable. */
function anything(): unknown {
  const target = function () {
    /* stand-in */
  };
  return new Proxy(target, {
    get: (_t, prop) => {
      if (prop === 'then') return undefined;
      if (prop === 'dispose') return () => undefined;
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === Symbol.iterator) return function* () {};
      return anything();
    },
    apply: () => anything(),
    construct: () => anything() as object,
  });
}

function withFallback<T extends object>(o: T): T {
  return new Proxy(o, {
    get: (t, prop, r) =>
      prop in t ? Reflect.get(t, prop, r) : typeof prop === 'string' && prop.startsWith('onDid') ? () => new Disposable() : anything(),
  });
}

class Uri {
  readonly scheme = 'file';
  constructor(readonly fsPath: string) {}
  get path(): string {
    return this.fsPath;
  }
  static file(p: string): Uri {
    return new Uri(p);
  }
  static parse(s: string): Uri {
    return new Uri(s.replace(/^file:\/\//, ''));
  }
  static joinPath(u: Uri, ...parts: string[]): Uri {
    return new Uri(join(u.fsPath, ...parts));
  }
  with(): Uri {
    return this;
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
}

class TreeItem {
  [k: string]: unknown;
  constructor(
    public label: unknown,
    public collapsibleState?: number,
  ) {}
}

class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(
    readonly id: string,
    readonly color?: unknown,
  ) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class MarkdownString {
  isTrusted = false;
  supportThemeIcons = false;
  constructor(public value = '') {}
  appendMarkdown(s: string): this {
    this.value += s;
    return this;
  }
  appendText(s: string): this {
    this.value += s;
    return this;
  }
  appendCodeblock(s: string): this {
    this.value += `\n\`\`\`\n${s}\n\`\`\`\n`;
    return this;
  }
}

export interface CapturedTree {
  id: string;
  provider: {
    getChildren(e?: unknown): unknown;
    getTreeItem(e: unknown): unknown;
    onDidChangeTreeData?: (l: () => void) => Disposable;
  };
}

export interface FakeVscode {
  module: Record<string, unknown>;
  trees: CapturedTree[];
}

export function createFakeVscode(): FakeVscode {
  const trees: CapturedTree[] = [];
  const channel = (): unknown =>
    withFallback({
      name: 'Vitals',
      logLevel: 2,
      onDidChangeLogLevel: () => new Disposable(),
      append: () => undefined,
      appendLine: () => undefined,
      replace: () => undefined,
      clear: () => undefined,
      show: () => undefined,
      hide: () => undefined,
      dispose: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    });
  const window = withFallback({
    createOutputChannel: channel,
    createTreeView: (id: string, opts: { treeDataProvider: CapturedTree['provider'] }) => {
      trees.push({ id, provider: opts.treeDataProvider });
      const visibility = new EventEmitter<{ visible: boolean }>();
      return withFallback({
        visible: true,
        selection: [],
        onDidChangeVisibility: visibility.event,
        reveal: async () => undefined,
        dispose: () => visibility.dispose(),
      });
    },
    registerTreeDataProvider: (id: string, provider: CapturedTree['provider']) => {
      trees.push({ id, provider });
      return new Disposable();
    },
    createStatusBarItem: () => withFallback({ show: () => undefined, hide: () => undefined, dispose: () => undefined }),
    registerWebviewPanelSerializer: () => new Disposable(),
    setStatusBarMessage: () => new Disposable(),
    showInformationMessage: async () => undefined,
    showWarningMessage: async () => undefined,
    showErrorMessage: async () => undefined,
    showQuickPick: async () => undefined,
    showInputBox: async () => undefined,
    withProgress: async (_o: unknown, task: (p: unknown, t: unknown) => unknown) =>
      task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: () => new Disposable() }),
  });
  const workspace = withFallback({
    getConfiguration: () =>
      withFallback({ get: (_k: string, d?: unknown) => d, has: () => false, inspect: () => undefined, update: async () => undefined }),
    onDidChangeConfiguration: () => new Disposable(),
    workspaceFolders: undefined,
  });
  const commands = withFallback({
    registerCommand: () => new Disposable(),
    executeCommand: async () => undefined,
  });
  const module = withFallback<Record<string, unknown>>({
    Disposable,
    EventEmitter,
    TreeItem,
    ThemeIcon,
    ThemeColor,
    MarkdownString,
    Uri,
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    window,
    workspace,
    commands,
    env: withFallback({ clipboard: { writeText: async () => undefined, readText: async () => '' }, appName: 'bench', uiKind: 1 }),
    version: '1.100.0',
  });
  return { module, trees };
}

export function fakeContext(extensionPath: string, storagePath: string): Record<string, unknown> {
  const memento = (): unknown => {
    const m = new Map<string, unknown>();
    return {
      get: (k: string, d?: unknown) => (m.has(k) ? m.get(k) : d),
      update: async (k: string, v: unknown) => void m.set(k, v),
      keys: () => [...m.keys()],
      setKeysForSync: () => undefined,
    };
  };
  return withFallback({
    subscriptions: [] as { dispose(): unknown }[],
    extensionPath,
    extensionUri: Uri.file(extensionPath),
    globalStorageUri: Uri.file(storagePath),
    globalStoragePath: storagePath,
    storageUri: Uri.file(storagePath),
    logUri: Uri.file(storagePath),
    globalState: memento(),
    workspaceState: memento(),
    extensionMode: 1,
    asAbsolutePath: (p: string) => join(extensionPath, p),
  });
}
