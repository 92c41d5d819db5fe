// Vitals' read-only agent tools as VS Code language-model tools (#vitalsNow, #vitalsTopProcesses…
// in chat). The tools are defined once in src/backend/tools/ and run in the backend worker, which
// holds the history; package.json `contributes.languageModelTools` declares them (a unit test keeps
// it equal to the definitions), and this registers each declared name to ask the worker.
import * as vscode from 'vscode';
import type { WorkerConnection } from './worker/connection';

interface DeclaredTool {
  name: string;
}

function declaredTools(context: vscode.ExtensionContext): DeclaredTool[] {
  const pkg = context.extension.packageJSON as { contributes?: { languageModelTools?: DeclaredTool[] } };
  return pkg.contributes?.languageModelTools ?? [];
}

export function registerTools(context: vscode.ExtensionContext, backend: WorkerConnection): vscode.Disposable[] {
  return declaredTools(context).map((tool) =>
    vscode.lm.registerTool<unknown>(tool.name, {
      async invoke(options, token) {
        const r = await backend.request('tool', { name: tool.name, arguments: options.input ?? {} }, { token });
        // A refusal (bad range, unknown metric, no data) is thrown: VS Code hands the message to the model.
        if (r.isError) throw new Error(r.text);
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(r.text)]);
      },
    }),
  );
}
