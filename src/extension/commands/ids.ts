// Every command Vitals contributes. package.json declares the same ids (a unit test checks both ways).

export const CommandId = {
  showDashboard: 'vitals.showDashboard',
  showStorageHealth: 'vitals.showStorageHealth',
  exportHistory: 'vitals.exportHistory',
  pauseRecording: 'vitals.pauseRecording',
  resumeRecording: 'vitals.resumeRecording',
  clearHistory: 'vitals.clearHistory',
  showLogs: 'vitals.showLogs',
  openSettings: 'vitals.openSettings',
  backupNow: 'vitals.backupNow',
  restoreBackup: 'vitals.restoreBackup',
  filterProcesses: 'vitals.filterProcesses',
  clearProcessFilter: 'vitals.clearProcessFilter',
  sortProcesses: 'vitals.sortProcesses',
  toggleProcessTree: 'vitals.toggleProcessTree',
  // The toolbar shows whichever of these two applies, each with its own icon; the palette has the toggle.
  showProcessesAsTree: 'vitals.showProcessesAsTree',
  showProcessesAsList: 'vitals.showProcessesAsList',
  showProcessesByVsCode: 'vitals.showProcessesByVsCode',
  showProcessesByContainer: 'vitals.showProcessesByContainer',
  refreshProcesses: 'vitals.refreshProcesses',
  // Item commands: the context menu passes the process.
  showProcessHistory: 'vitals.showProcessHistory',
  copyPid: 'vitals.copyPid',
  copyCommandLine: 'vitals.copyCommandLine',
  killProcess: 'vitals.killProcess',
  // The "Left behind by VS Code" group's action: every process in it, after one confirmation.
  killLeftBehind: 'vitals.killLeftBehind',
  // Alerts (src/extension/alerts/commands.ts).
  showAlerts: 'vitals.showAlerts',
  snoozeAlert: 'vitals.snoozeAlert',
  killAlertCulprit: 'vitals.killAlertCulprit',
  // A Markdown summary of VS Code's processes for a bug report (src/extension/commands/diagnostics.ts).
  copyDiagnostics: 'vitals.copyDiagnostics',
} as const;

export type CommandIdValue = (typeof CommandId)[keyof typeof CommandId];

export const ViewId = {
  container: 'vitals',
  processes: 'vitals.processes',
  system: 'vitals.system',
} as const;
