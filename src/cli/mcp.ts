// `vitals mcp`: the agent tools (src/backend/tools/) served over the Model Context Protocol on
// stdio, for Claude Code, Copilot, Cursor and other MCP clients. It reads the history as a viewer
// does — the file read-only, then the recorder's journal as it grows, the file again when the
// recorder replaced it — and never writes, so it runs beside a VS Code window or `vitals record`.
// stdout carries the protocol alone: every log line goes to stderr.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { defaultMonitorConfig } from '../backend/config';
import { healthReport } from '../backend/queries/health';
import type { Store } from '../backend/storage/store';
import { TOOLS, type ToolContext } from '../backend/tools/definitions';
import { runTool } from '../backend/tools/run';
import { errorText, NotReadyError } from '../shared/errors';
import { databaseExists, openReadOnly } from './backupCommands';
import { recorderHealth } from './recorderFeed';
// esbuild inlines just this field of the manifest.
import { version } from '../../package.json';

const log = (line: string): void => void process.stderr.write(`vitals mcp: ${line}\n`);

/** The history as it is now: one read-only copy, brought up to date before each tool call. */
class HistoryReader {
  private store: Store | undefined;

  constructor(private readonly path: string) {}

  async current(): Promise<Store> {
    if (!databaseExists(this.path))
      throw new NotReadyError(`no history at ${this.path} yet: start recording (VS Code with Vitals, or vitals record --db ${this.path})`);
    if (this.store) {
      try {
        if (this.store.catchUp().state !== 'reload') return this.store;
      } catch (e) {
        log(`following the journal failed (${errorText(e)}); reading the file again`);
      }
      this.close();
    }
    try {
      this.store = await openReadOnly(this.path);
    } catch (e) {
      throw new NotReadyError(`the history at ${this.path} cannot be read right now (${errorText(e)}); try again in a moment`);
    }
    return this.store;
  }

  close(): void {
    this.store?.close();
    this.store = undefined;
  }
}

export async function mcpCommand(path: string): Promise<number> {
  const reader = new HistoryReader(path);
  const config = defaultMonitorConfig();
  const server = new Server(
    { name: 'vitals', version },
    {
      capabilities: { tools: {} },
      instructions:
        "Vitals records this machine's CPU, memory, disk, network and processes. Its tools answer questions about now and the past; " +
        'times are local, CPU of a process is % of one core.',
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: TOOLS.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: t.inputSchema,
      annotations: { readOnlyHint: true },
    })),
  }));
  let queue: Promise<unknown> = Promise.resolve();
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const context = async (): Promise<ToolContext> => ({
      store: await reader.current(),
      sampleIntervalMs: config.sampleIntervalMs,
      now: Date.now(),
      health: async (store) =>
        (await recorderHealth(path, log)) ?? healthReport(store, path, config, { role: 'stopped', recording: false }),
    });
    // One call at a time: they share the one copy of the history (and a call takes milliseconds).
    const call = queue.then(() => runTool(req.params.name, req.params.arguments, context));
    queue = call;
    const r = await call;
    if (r.isError) log(r.text);
    return { content: [{ type: 'text', text: r.text }], isError: r.isError };
  });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((done) => {
    transport.onclose = done;
    // The client ends the session by closing our stdin (or by a signal).
    process.stdin.once('end', done);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.connect(transport);
  log(`serving ${TOOLS.length} tools for ${path} on stdio`);
  await closed;
  reader.close();
  await server.close();
  return 0;
}
