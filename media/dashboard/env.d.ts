// What the webview's page provides, and the one Node name the shared backend types mention.

/** `StaticInfo.platform` is typed `NodeJS.Platform | string`; in the browser that is just a string. */
declare namespace NodeJS {
  type Platform = string;
}

interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Injected by VS Code (and by media/dev/harness.js); callable once per document. */
declare function acquireVsCodeApi(): VsCodeWebviewApi;
