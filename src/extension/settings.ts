// The one place that reads `vitals.*` settings. It validates them with the backend's spec (an
// out-of-range value becomes the nearest valid one, with one warning naming the setting), keeps the
// current result and tells its listeners when it changes. One configuration listener for the
// whole extension.

import * as vscode from 'vscode';
import { SETTINGS_SECTION, validateSettings, type SettingKey, type ValidatedSettings } from '../backend';
import { background, type Logger } from './log';

export class Settings implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ValidatedSettings>();
  readonly onDidChange = this.emitter.event;
  private readonly listener: vscode.Disposable;
  private readonly warned = new Set<string>();
  private _current: ValidatedSettings;

  constructor(private readonly log: Logger) {
    this._current = this.read();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
      this._current = this.read();
      this.log.info('Vitals settings changed; applying them.');
      this.emitter.fire(this._current);
    });
  }

  get current(): ValidatedSettings {
    return this._current;
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }

  private read(): ValidatedSettings {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const settings = validateSettings((key: SettingKey) => config.get<unknown>(key));
    for (const problem of settings.problems) {
      // Once per distinct problem: re-reading after an unrelated change must not repeat the warning.
      if (this.warned.has(problem.message)) continue;
      this.warned.add(problem.message);
      this.log.warn(problem.message);
      background(
        vscode.window
          .showWarningMessage(`Vitals: ${problem.message}`, 'Open Settings')
          .then((choice) => (choice ? vscode.commands.executeCommand('workbench.action.openSettings', problem.setting) : undefined)),
        this.log,
        'Showing a settings warning',
      );
    }
    return settings;
  }
}
