// The dashboard webview's entry: styles (uPlot's and ours, bundled into dashboard.css), error
// reporting into the Vitals log, and the app.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { App } from './app';

const api = acquireVsCodeApi();
const report = (message: string): void => api.postMessage({ kind: 'log', level: 'error', message });

window.addEventListener('error', (e) => report(`${e.message} (${e.filename}:${e.lineno})`));
window.addEventListener('unhandledrejection', (e) => report(`unhandled rejection: ${String(e.reason)}`));
// A policy violation means something in the app or a library tried what the CSP forbids: say so.
document.addEventListener('securitypolicyviolation', (e) =>
  api.postMessage({
    kind: 'log',
    level: 'warn',
    message: `CSP blocked ${e.violatedDirective}: ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`,
  }),
);

const root = document.getElementById('app');
if (root) new App(api, root).start();
