// The webview's end of the protocol: requests with ids and promised answers (checked against the
// method asked), pushed messages handed to the app, and errors forwarded to the Vitals log.

import type {
  DashboardMethod,
  DashboardParams,
  DashboardResult,
  DashboardErrorCode,
  ExtensionMessage,
  WebviewLogLevel,
} from '../../src/shared/dashboardProtocol';
import { parseExtensionMessage, parseResult } from '../../src/shared/dashboardChecks';
import { RequestTracker } from '../../src/shared/requests';

export type PushMessage = Exclude<ExtensionMessage, { kind: 'response' }>;

export class RequestError extends Error {
  constructor(
    readonly code: DashboardErrorCode | 'timeout' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/** Queries that take longer than this are given up (the backend answers rollup queries in ms). */
const QUERY_TIMEOUT_MS = 60_000;
/** Methods that wait for the user (dialogs) have no timeout. */
const INTERACTIVE: ReadonlySet<DashboardMethod> = new Set(['export', 'clearHistory', 'backupNow']);

export class Rpc {
  /** Each waiting request's method: its answer is checked against it. */
  private readonly requests = new RequestTracker<DashboardMethod>();

  constructor(
    private readonly api: VsCodeWebviewApi,
    private readonly onPush: (msg: PushMessage) => void,
  ) {
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
  }

  request<M extends DashboardMethod>(method: M, params: DashboardParams<M>): Promise<DashboardResult<M>> {
    const { id, answer } = this.requests.open<DashboardResult<M>>(method);
    if (!INTERACTIVE.has(method)) {
      const timer = window.setTimeout(
        () => this.requests.reject(id, new RequestError('timeout', `${method} got no answer in ${QUERY_TIMEOUT_MS / 1000} s`)),
        QUERY_TIMEOUT_MS,
      );
      this.requests.onSettled(id, () => window.clearTimeout(timer));
    }
    this.api.postMessage({ kind: 'request', id, method, params });
    return answer;
  }

  send(msg: { kind: 'ready' }): void {
    this.api.postMessage(msg);
  }

  log(level: WebviewLogLevel, message: string): void {
    this.api.postMessage({ kind: 'log', level, message });
  }

  private receive(raw: unknown): void {
    const parsed = parseExtensionMessage(raw);
    if (!parsed.ok) {
      this.log('warn', `ignored a malformed message from the extension: ${parsed.error}`);
      return;
    }
    const msg = parsed.value;
    if (msg.kind !== 'response') {
      this.onPush(msg);
      return;
    }
    const p = this.requests.take(msg.inReplyTo);
    if (!p) return; // Timed out already, or from before a reload.
    if (!msg.ok) {
      p.reject(new RequestError(msg.code, msg.error));
      return;
    }
    const result = parseResult(p.context, msg.result);
    if (!result.ok) {
      this.log('warn', `ignored a malformed ${p.context} answer: ${result.error}`);
      p.reject(new RequestError('invalid', `malformed ${p.context} answer`));
      return;
    }
    p.resolve(result.value);
  }
}
