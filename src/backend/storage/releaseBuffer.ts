// A checkpoint's copy of the database (db.export(): as large as the database) is garbage once it is
// written, but V8 returns an ArrayBuffer's memory only when a collection finds it unreachable, and a
// quiet worker may not collect for many minutes. Meanwhile sql.js may grow its in-memory file (it
// copies the file to grow it), and the dead copy, the old file and the new one held together made
// the worker's peak ~2.9× the database (BENCHMARKS.md). Transferring the buffer into a message port
// that is then closed detaches it, and Node frees it as the closed ports are torn down, on the next
// turn of the event loop, without waiting for a collection.
import { MessageChannel } from 'node:worker_threads';

/** A release still waiting for the event loop: a synchronous loop of checkpoints keeps one, not all. */
let pending = false;

/** Frees the memory of a buffer nothing else uses, soon; `bytes` is empty (detached) if it was taken. */
export function releaseNow(bytes: Uint8Array): boolean {
  const buffer = bytes.buffer;
  // Only a buffer this view owns whole, never shared memory; left to the collector otherwise.
  if (pending || !(buffer instanceof ArrayBuffer) || bytes.byteOffset !== 0 || bytes.byteLength !== buffer.byteLength) return false;
  const { port1, port2 } = new MessageChannel();
  try {
    port1.postMessage(buffer, [buffer]);
  } finally {
    port1.close();
    port2.close();
  }
  pending = true;
  setImmediate(() => (pending = false)).unref();
  return true;
}
