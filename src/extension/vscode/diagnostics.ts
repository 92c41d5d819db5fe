// The "Copy Diagnostics for a Bug Report" text: VS Code's processes by role and by extension over a
// recent range, the processes running now, and the versions a maintainer asks for first. Pure: the
// command gathers the inputs (worker queries, the latest snapshot, vscode.version…), this builds the
// Markdown, so the text is tested without an editor.

import type { CommandLineMode, LoadByGroupResult, ProcessSample } from '../../backend/index';
import { formatBytes, formatDateTime, formatDuration, formatPercent } from '../../shared/format';
import { extensionText, roleKeyText, roleText } from '../../shared/roleText';

export interface DiagnosticsInput {
  now: number;
  vscodeVersion: string;
  vitalsVersion: string;
  platform: string;
  arch: string;
  osRelease: string;
  /** Load summed by role kind and by extension over the same range. */
  byRole: LoadByGroupResult;
  byExtension: LoadByGroupResult;
  /** The latest snapshot's processes (all of them: those with a role are listed). */
  processes: readonly ProcessSample[];
  /** This window's extension host (`process.pid` in the extension): named "this window". */
  ownHostPid: number;
  /** Command lines in `processes` are already as this mode allows ('' when off). */
  commandLineMode: CommandLineMode;
}

/** A table cell: pipes and line breaks would end the cell or the row. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replace(/\s*[\r\n]+\s*/g, ' ');
}

function groupTable(result: LoadByGroupResult, name: (key: string, label: string) => string, heading: string): string[] {
  const lines = [`| ${heading} | Avg CPU | Max CPU | Peak memory | Processes |`, '| --- | ---: | ---: | ---: | ---: |'];
  for (const g of result.groups) {
    lines.push(
      `| ${cell(name(g.key, g.label))} | ${formatPercent(g.cpuAvg)} | ${formatPercent(g.cpuMax)} | ${formatBytes(g.rssMaxBytes)} | ${g.processes} |`,
    );
  }
  if (result.groups.length === 0) lines.push(`| _none recorded_ | | | | |`);
  return lines;
}

export function buildDiagnostics(input: DiagnosticsInput): string {
  const vscodeProcesses = input.processes.filter((p) => p.role !== undefined).sort((a, b) => b.cpu - a.cpu);
  const windows = new Set(
    vscodeProcesses.filter((p) => p.role?.kind === 'extension-host' && p.role.leftBehindSince === undefined).map((p) => p.pid),
  ).size;
  const behind = vscodeProcesses.filter((p) => p.role?.leftBehindSince !== undefined);
  const behindCpu = behind.reduce((sum, p) => sum + p.cpu, 0);
  const behindRss = behind.reduce((sum, p) => sum + p.rssBytes, 0);
  const range = input.byRole;
  const out: string[] = [
    '# Vitals diagnostics',
    '',
    `Generated ${formatDateTime(input.now)}.`,
    '',
    '## Environment',
    '',
    `- VS Code: ${input.vscodeVersion}`,
    `- Vitals: ${input.vitalsVersion}`,
    `- Platform: ${input.platform} ${input.arch}, OS release ${input.osRelease}`,
    `- Windows (extension hosts seen): ${windows > 0 ? windows : 'unknown'}`,
    `- Left behind by VS Code: ${behind.length === 0 ? 'none' : `${behind.length} process${behind.length === 1 ? '' : 'es'}, ${formatPercent(behindCpu)} CPU, ${formatBytes(behindRss)} now`}`,
    '',
    `## Load by role (last ${formatDuration(range.to - range.from)})`,
    '',
    ...groupTable(range, (key, label) => roleKeyText(key) ?? label, 'Role'),
    '',
    `## Load by extension (last ${formatDuration(input.byExtension.to - input.byExtension.from)})`,
    '',
    ...groupTable(input.byExtension, (key, label) => (key === label || !label ? key : `${label} (${key})`), 'Extension'),
    '',
    '## VS Code processes now',
    '',
  ];
  if (vscodeProcesses.length === 0) {
    out.push('_No process with a VS Code role in the latest sample._');
  } else {
    const withCommand = input.commandLineMode !== 'off';
    out.push(
      `| PID | Role | Extension | CPU | Memory |${withCommand ? ' Command line |' : ''}`,
      `| ---: | --- | --- | ---: | ---: |${withCommand ? ' --- |' : ''}`,
    );
    for (const p of vscodeProcesses) {
      const role = p.role!;
      const ext = role.extensionId ? `${extensionText(role)} (${role.extensionId})` : '';
      const command = withCommand ? ` ${p.command ? `\`${cell(p.command).replaceAll('`', "'")}\`` : ''} |` : '';
      out.push(
        `| ${p.pid} | ${cell(roleText(role, p.pid, input.ownHostPid, input.now))} | ${cell(ext)} | ${formatPercent(p.cpu)} | ${formatBytes(p.rssBytes)} |${command}`,
      );
    }
  }
  out.push(
    '',
    input.commandLineMode === 'off'
      ? '_Command lines are left out (`vitals.privacy.commandLine` is `off`)._'
      : input.commandLineMode === 'redacted'
        ? '_Command lines have their secrets masked (`vitals.privacy.commandLine` is `redacted`); check them before sharing._'
        : '_Command lines are shown in full (`vitals.privacy.commandLine` is `full`); check them for secrets before sharing._',
    '',
  );
  return out.join('\n');
}
