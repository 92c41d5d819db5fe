// A minimal event emitter with VS Code's `Event` signature. The backend client uses it instead of
// vscode.EventEmitter so it runs (and is unit-tested) without the `vscode` module.

import type * as vscode from 'vscode';

export class Emitter<T> implements vscode.Disposable {
  private listeners: ((e: T) => unknown)[] = [];
  private disposed = false;

  readonly event: vscode.Event<T> = (listener, thisArgs?: unknown, disposables?: vscode.Disposable[]) => {
    const bound = (e: T) => listener.call(thisArgs, e);
    if (!this.disposed) this.listeners.push(bound);
    const d = {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== bound);
      },
    };
    disposables?.push(d);
    return d;
  };

  /** A throwing listener must not starve the others; its error goes to `onError`. */
  fire(value: T, onError?: (err: unknown) => void): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch (err) {
        onError?.(err);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}
