import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, dashboardHtml } from '../../../../src/extension/dashboard/html';

const parts = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abc123+/=',
  scriptUri: 'https://x/dist/webview/dashboard.js',
  styleUri: 'https://x/dist/webview/dashboard.css',
  codiconsUri: 'https://x/dist/codicons/codicon.css',
};

describe('dashboard HTML', () => {
  it('has a strict policy: nothing by default, scripts only with the nonce, no inline styles', () => {
    const csp = contentSecurityPolicy(parts);
    expect(csp).toBe(
      `default-src 'none'; img-src ${parts.cspSource} data:; style-src ${parts.cspSource}; font-src ${parts.cspSource}; script-src 'nonce-abc123+/=';`,
    );
    expect(csp).not.toMatch(/unsafe-|\*|connect-src/);
  });

  it('loads exactly one script, with the nonce, and the stylesheets, without inline code', () => {
    const html = dashboardHtml(parts);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(parts)}">`);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]![1]).toContain(`nonce="${parts.nonce}"`);
    expect(scripts[0]![1]).toContain(`src="${parts.scriptUri}"`);
    expect(scripts[0]![2]).toBe('');
    expect(html).toContain(`href="${parts.styleUri}"`);
    expect(html).toContain(`href="${parts.codiconsUri}"`);
    expect(html).not.toMatch(/style="|<style|\son[a-z]+=/i);
    // No remote content: every URL is one of ours or the webview's own resource origin.
    for (const [url] of html.matchAll(/https?:\/\/[^\s"';]+/g))
      expect(url.startsWith('https://x/') || url === parts.cspSource, url).toBe(true);
  });

  it('escapes attribute values', () => {
    const html = dashboardHtml({ ...parts, scriptUri: 'https://x/a"b<c' });
    expect(html).toContain('src="https://x/a&quot;b&lt;c"');
  });

  it('adds the dev harness script and its connection only when asked', () => {
    const html = dashboardHtml({
      ...parts,
      harness: {
        scriptUri: 'http://127.0.0.1:1/dev/harness.js',
        connectSrc: 'http://127.0.0.1:1',
        themeUri: 'http://127.0.0.1:1/dev/theme-dark.css',
      },
    });
    expect(html).toMatch(/connect-src http:\/\/127\.0\.0\.1:1/);
    expect([...html.matchAll(/<script /g)]).toHaveLength(2);
  });
});
