// package.json's languageModelTools are the agent tools as src/backend/tools/ defines them: same
// names, the model's description, the input schema. One definition, two front doors (MCP and VS Code).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { TOOLS } from '../../../src/backend/tools/definitions';

interface Declared {
  name: string;
  toolReferenceName: string;
  displayName: string;
  modelDescription: string;
  canBeReferencedInPrompt: boolean;
  inputSchema: unknown;
}
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  contributes: { languageModelTools: Declared[] };
};
const declared = pkg.contributes.languageModelTools;

describe('contributes.languageModelTools', () => {
  it('declares every tool, in order, and nothing else', () => {
    expect(declared.map((d) => d.name)).toEqual(TOOLS.map((t) => t.name));
  });

  it.each(TOOLS.map((t) => [t.name, t] as const))('%s: the description and schema of its definition', (name, tool) => {
    const d = declared.find((x) => x.name === name)!;
    expect(d.modelDescription).toBe(tool.description);
    expect(d.inputSchema).toEqual(tool.inputSchema);
    expect(d.displayName).toBe(`Vitals: ${tool.title}`);
    // Referenceable in chat as #vitals…
    expect(d.canBeReferencedInPrompt).toBe(true);
    expect(d.toolReferenceName).toMatch(/^vitals[A-Z][A-Za-z]+$/);
  });
});
