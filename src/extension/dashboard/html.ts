// The dashboard's HTML shell: one script and two stylesheets from the extension's own files, under a
// CSP that allows nothing else (no inline script or style, no remote content). Pure, so the dev
// harness serves the very same document and the tests can read its policy.

export interface DashboardHtmlParts {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
  /** Dev harness only: a script that provides `acquireVsCodeApi` before the app loads, and where it talks. */
  harness?: { scriptUri: string; connectSrc: string; themeUri: string };
}

export function contentSecurityPolicy(p: Pick<DashboardHtmlParts, 'cspSource' | 'nonce' | 'harness'>): string {
  const parts = [
    `default-src 'none'`,
    `img-src ${p.cspSource} data:`,
    `style-src ${p.cspSource}`,
    `font-src ${p.cspSource}`,
    `script-src 'nonce-${p.nonce}'`,
  ];
  if (p.harness) parts.push(`connect-src ${p.harness.connectSrc}`);
  return parts.join('; ') + ';';
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function dashboardHtml(p: DashboardHtmlParts): string {
  const a = escapeAttr;
  const harness = p.harness
    ? `\n    <link rel="stylesheet" href="${a(p.harness.themeUri)}">\n    <script nonce="${a(p.nonce)}" src="${a(p.harness.scriptUri)}"></script>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${a(contentSecurityPolicy(p))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="stylesheet" href="${a(p.codiconsUri)}" id="vscode-codicon-stylesheet">
    <link rel="stylesheet" href="${a(p.styleUri)}">${harness}
    <title>Vitals</title>
  </head>
  <body>
    <div id="app" class="app"><p class="boot">Loading the Vitals dashboard…</p></div>
    <script nonce="${a(p.nonce)}" src="${a(p.scriptUri)}"></script>
  </body>
</html>
`;
}
