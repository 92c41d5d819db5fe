// How an alert reads: the culprit's label and the one line every front end shows (notification, CLI
// line, Events list). Pure, built on the shared formatters.
import type { ProcessSample } from '../types';
import { formatBytes, formatDuration } from '../../shared/format';

/** Interpreters whose own name says little: the script they run names the process better. */
const RUNNERS = new Set(['node', 'python', 'python3', 'ruby', 'java', 'deno', 'bun', 'perl', 'php', 'sh', 'bash', 'npm', 'npx', 'dotnet']);

/**
 * `node (jest)`, `code (ms-python)`: the process name, with what it runs when the name alone is a
 * runner, or the extension it serves when its role says so.
 */
export function processLabel(p: Pick<ProcessSample, 'name' | 'command' | 'role'>): string {
  const ext = p.role?.extensionName || p.role?.extensionId;
  if (ext) return `${p.name} (${ext})`;
  if (!RUNNERS.has(p.name)) return p.name;
  const script = scriptOf(p.command);
  return script && script !== p.name ? `${p.name} (${script})` : p.name;
}

const EVAL_FLAGS = new Set(['-e', '--eval', '-p', '--print', '-c']);
/** Options whose value is the next argument, not the script. */
const VALUE_FLAGS = new Set(['-r', '--require', '--import', '--loader', '-W', '-X']);

/** The first non-option argument's base name without extension: `/x/node_modules/.bin/jest --watch` → `jest`. */
function scriptOf(command: string): string | undefined {
  const args = command.trim().split(/\s+/).slice(1);
  let arg: string | undefined;
  for (let i = 0; i < args.length && arg === undefined; i++) {
    const a = args[i]!;
    // Inline code (`node -e '…'`, `sh -c '…'`) has no name worth showing; `python -m pytest` does.
    if (EVAL_FLAGS.has(a)) return undefined;
    if (a === '-m') arg = args[i + 1];
    else if (VALUE_FLAGS.has(a)) i++;
    else if (a !== '' && !a.startsWith('-')) arg = a;
  }
  if (!arg) return undefined;
  const base = arg.split(/[\\/]/).pop() ?? arg;
  const stem = base.replace(/\.(c|m)?[jt]s$|\.py$|\.rb$|\.jar$/, '');
  return stem || undefined;
}

export const cpuFigure = (v: number): string => `${Math.round(v)} %`;
export const bytesFigure = (v: number): string => formatBytes(v);
export const rateFigure = (bytesPerHour: number): string => `${formatBytes(bytesPerHour)}/h`;
export const durationText = (ms: number): string => formatDuration(Math.max(0, ms));

/** `node 98 %, code 40 %`: a few named processes with their figure. */
export function namedList(items: readonly { name: string; value: number }[], figure: (v: number) => string): string {
  return items.map((i) => `${i.name} ${figure(i.value)}`).join(', ');
}
