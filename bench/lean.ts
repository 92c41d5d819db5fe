// A second, small bundle (out/bench/lean.js) for memory figures: it holds only the store and the
// synthetic data, so the host process and the worker thread it starts weigh what a backend would,
// not what the whole benchmark (systeminformation, the extension client…) weighs.
import { isMainThread } from 'node:worker_threads';
import { serveChild } from './lib/child';
import { checkpointMemory, checkpointWorker } from './sections/checkpointMemory';

if (!isMainThread) void checkpointWorker();
else {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') void serveChild({ checkpointMemory }, argv[1]!, JSON.parse(argv[2] ?? '{}'));
}
