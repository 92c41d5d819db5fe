// Calling a tool by name: look it up, refuse arguments it does not take, check the rest, run it.
// Every failure comes back as a result with isError (the message says what to change); nothing a
// caller sends can end the server.
import { isRecord } from '../../shared/check';
import { errorText, VitalsError } from '../../shared/errors';
import type { ToolResult } from '../types';
import { TOOLS, type ToolContext, type ToolDefinition } from './definitions';

export function findTool(name: string): ToolDefinition | undefined {
  return TOOLS.find((t) => t.name === name);
}

/** The arguments' own problem, or undefined when they fit the tool. */
export function checkArguments(tool: ToolDefinition, args: unknown): string | undefined {
  const input = args ?? {};
  if (!isRecord(input)) return 'arguments: expected an object';
  const extra = Object.keys(input).filter((k) => !Object.prototype.hasOwnProperty.call(tool.inputSchema.properties, k));
  if (extra.length > 0)
    return `unknown argument ${extra.map((k) => JSON.stringify(k)).join(', ')}; ${tool.name} takes ${Object.keys(tool.inputSchema.properties).join(', ') || 'none'}`;
  return tool.check(input, '');
}

/**
 * Runs a tool. `context` is asked for only once the arguments are known to be good (opening the
 * history costs more than a refusal).
 */
export async function runTool(name: string, args: unknown, context: () => Promise<ToolContext>): Promise<ToolResult> {
  const tool = findTool(name);
  if (!tool) return { text: `unknown tool "${name}"; the tools are ${TOOLS.map((t) => t.name).join(', ')}`, isError: true };
  const bad = checkArguments(tool, args);
  if (bad !== undefined) return { text: `${tool.name}: ${bad}`, isError: true };
  try {
    const text = await tool.run((args ?? {}) as Record<string, unknown>, await context());
    return { text, isError: false };
  } catch (e) {
    // The backend's own errors carry their message for the user; anything else is a fault, named as such.
    return { text: `${tool.name}: ${e instanceof VitalsError ? e.message : `failed: ${errorText(e)}`}`, isError: true };
  }
}
