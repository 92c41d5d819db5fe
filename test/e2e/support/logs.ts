// Errors in the extension host's logs. Every `[error]` entry of Vitals's own log (its output
// channel, where the dashboard webview also reports its uncaught errors) fails the run, and so does
// every `[error]` entry of the extension host log, except code-server's own noise, listed here one
// by one with the reason it is harmless. A new kind of noise is added here deliberately, not
// silenced by a looser pattern.
import { readFileSync } from 'node:fs';
import type { CodeServer } from '../../runners/codeServer';
import { copiedLogPath } from '../../runners/codeServer';
import { exthostLogFiles } from '../harness';

export type LogEntry = { file: string; level: string; text: string };

export type Noise = { pattern: RegExp; why: string };

/** `[error]` entries of the extension host log that code-server produces without any extension. */
export const HARMLESS_EXTHOST_ERRORS: readonly Noise[] = [
  { pattern: /open-vsx\.org|openvsx/i, why: 'code-server asks open-vsx.org for extension metadata; this machine is offline' },
  { pattern: /\bvsda\b/i, why: 'the proprietary vsda signing module is not shipped with code-server' },
  {
    pattern: /getaddrinfo (ENOTFOUND|EAI_AGAIN)|ECONNREFUSED|ENETUNREACH/i,
    why: 'built-in extensions (GitHub, marketplace) try to reach the internet, which this machine cannot',
  },
];

// One entry per timestamped line; the lines after it (a stack) belong to it.
const ENTRY = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[(\w+)\]/;

export function parseLog(file: string): LogEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const entries: LogEntry[] = [];
  for (const line of text.split('\n')) {
    const m = ENTRY.exec(line);
    if (m) entries.push({ file, level: m[1] ?? '', text: line });
    else if (entries.length > 0 && line.trim() !== '') entries[entries.length - 1]!.text += `\n${line}`;
  }
  return entries;
}

const isVitalsLog = (file: string, extensionId: string) => file.toLowerCase().includes(`${extensionId.toLowerCase()}`);
const isExthostLog = (file: string) => /[\\/]remoteexthost\.log$|[\\/]exthost\.log$/.test(file);

export type LogCheck = {
  /** Entries that fail the run. */
  errors: LogEntry[];
  /** Vitals's warnings, shown but not failing (a warning is how Vitals reports a bad setting). */
  warnings: LogEntry[];
  /** Extension host errors let through as known code-server noise, with why. */
  ignored: { entry: LogEntry; why: string }[];
  files: string[];
};

export function checkLogs(server: CodeServer, extensionId: string): LogCheck {
  const check: LogCheck = { errors: [], warnings: [], ignored: [], files: [] };
  for (const file of exthostLogFiles(server)) {
    const vitals = isVitalsLog(file, extensionId);
    if (!vitals && !isExthostLog(file)) continue;
    check.files.push(file);
    for (const entry of parseLog(file)) {
      if (vitals && entry.level === 'warning') check.warnings.push(entry);
      if (entry.level !== 'error') continue;
      const noise = vitals ? undefined : HARMLESS_EXTHOST_ERRORS.find((n) => n.pattern.test(entry.text));
      if (noise) check.ignored.push({ entry, why: noise.why });
      else check.errors.push(entry);
    }
  }
  return check;
}

export function formatEntries(server: CodeServer, entries: readonly LogEntry[]): string {
  return entries
    .map((e) => `      ${copiedLogPath(server, e.file)}:\n        ${e.text.split('\n').slice(0, 12).join('\n        ')}`)
    .join('\n');
}
