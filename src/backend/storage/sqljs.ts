// Loads sql.js (SQLite compiled to WebAssembly) once per process. The .wasm file sits beside the
// bundle in dist/ (esbuild.mjs copies it there); from sources (vitest) it comes from node_modules.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

function wasmPath(): string {
  const beside = join(__dirname, 'sql-wasm.wasm');
  if (existsSync(beside)) return beside;
  // Running from sources (vitest): src/backend/storage → node_modules.
  return join(__dirname, '../../../node_modules/sql.js/dist/sql-wasm.wasm');
}

export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= initSqlJs({ locateFile: () => wasmPath() });
  return loading;
}

export type { Database, Statement, SqlValue, SqlJsStatic } from 'sql.js';
