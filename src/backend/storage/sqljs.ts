// Loads sql.js (SQLite compiled to WebAssembly) once per process. The .wasm file sits beside the
// bundle in dist/ (esbuild.mjs copies it there); from sources (vitest) it comes from node_modules.
//
// We instantiate the WebAssembly module ourselves (Emscripten's `instantiateWasm` hook) only to keep
// a handle on its memory: frameRows.ts reads frame blobs straight from it, because sql.js's own
// Statement.get() copies every blob byte by byte in JavaScript (10× slower on 4 KB frames).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;
let loaded: { SQL: SqlJsStatic; memory: WasmMemory | undefined } | undefined;

function wasmPath(): string {
  const beside = join(__dirname, 'sql-wasm.wasm');
  if (existsSync(beside)) return beside;
  // Running from sources (vitest): src/backend/storage → node_modules.
  return join(__dirname, '../../../node_modules/sql.js/dist/sql-wasm.wasm');
}

/** The little of the WebAssembly JS API used here (the project's type libraries do not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: WasmInstance; module: object }>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type ReceiveInstance = (instance: WasmInstance, module: object) => void;

export function loadSqlJs(): Promise<SqlJsStatic> {
  if (loading) return loading;
  let memory: WasmMemory | undefined;
  let failWith: (e: unknown) => void = () => undefined;
  // sql.js offers no way to fail from an asynchronous instantiateWasm: this promise does.
  const failed = new Promise<never>((_, reject) => (failWith = reject));
  // Not in @types/sql.js's config type, but passed through to Emscripten's Module (which then needs
  // no locateFile: it fetches nothing itself).
  const config = {
    instantiateWasm(imports: object, receive: ReceiveInstance): Record<string, unknown> {
      wasm.instantiate(readFileSync(wasmPath()), imports).then(({ instance, module }) => {
        for (const e of Object.values(instance.exports)) if (e instanceof wasm.Memory) memory = e;
        receive(instance, module);
      }, failWith);
      return {};
    },
  };
  loading = Promise.race([initSqlJs(config), failed]).then(
    (SQL) => {
      loaded = { SQL, memory };
      return SQL;
    },
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}

/** The loaded module and its WebAssembly memory, once loadSqlJs() has resolved. */
export function loadedSqlJs(): { SQL: SqlJsStatic; memory: WasmMemory | undefined } | undefined {
  return loaded;
}

export type { Database, SqlValue, SqlJsStatic } from 'sql.js';
