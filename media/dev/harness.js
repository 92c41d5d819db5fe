// Stands in for VS Code in the dev harness: `acquireVsCodeApi` over HTTP (POST out, server-sent
// events in), webview state in sessionStorage, and the theme's body class. Loaded before the app.
(() => {
  const theme = new URLSearchParams(location.search).get('theme') || 'dark';
  const bodyClass =
    { dark: 'vscode-dark', light: 'vscode-light', hc: 'vscode-high-contrast', 'hc-light': 'vscode-high-contrast-light' }[theme] ||
    'vscode-dark';
  const applyClass = () => {
    document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast', 'vscode-high-contrast-light');
    document.body.classList.add(bodyClass);
    if (bodyClass.startsWith('vscode-high-contrast'))
      document.body.classList.add(bodyClass === 'vscode-high-contrast' ? 'vscode-dark' : 'vscode-light');
    document.body.dataset.vscodeThemeKind = bodyClass;
  };
  new MutationObserver((_m, mo) => {
    if (document.body) {
      applyClass();
      mo.disconnect();
    }
  }).observe(document.documentElement, { childList: true });

  // Test hook: what VS Code does on a theme switch (new variables, new body class).
  window.vitalsHarness = {
    setTheme(name) {
      const link = document.querySelector('link[href*="/media/dev/theme-"]');
      if (link) link.href = link.href.replace(/theme-[a-z-]+\.css/, `theme-${name}.css`);
      const cls = { dark: 'vscode-dark', light: 'vscode-light', hc: 'vscode-high-contrast' }[name] || 'vscode-dark';
      setTimeout(() => {
        document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast', 'vscode-high-contrast-light');
        document.body.classList.add(cls);
      }, 200);
    },
  };

  const events = new EventSource('/events');
  events.onmessage = (e) => window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(e.data) }));
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may only be called once');
    acquired = true;
    return {
      postMessage: (msg) => {
        // The first 'ready' may go out before the event stream is open: wait for it.
        const send = () => fetch('/message', { method: 'POST', body: JSON.stringify(msg) });
        if (events.readyState === EventSource.OPEN) void send();
        else events.addEventListener('open', () => void send(), { once: true });
      },
      getState: () => JSON.parse(sessionStorage.getItem('vitals-state') || 'null'),
      setState: (s) => sessionStorage.setItem('vitals-state', JSON.stringify(s)),
    };
  };
})();
