// Errors as every side reports them. Pure: no Node, no vscode.

/** The message of anything thrown, for logs and user-facing text. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The stack where there is one (for logs a developer reads), else the message. */
export function errorDetail(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
