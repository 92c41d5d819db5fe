// Entry of dist/backend-worker.js: runs in a worker_threads Worker of the extension host.
import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority } from './priority';
import { WorkerServer } from './server';

if (!parentPort) throw new Error('backend-worker.js must run in a worker thread');
const port = parentPort;
const server = new WorkerServer({
  postMessage: (msg) => port.postMessage(msg),
  on: (event, listener) => port.on(event, listener),
});
process.on('unhandledRejection', (e) => server.log('error', `Unhandled rejection in the backend: ${String(e)}`));

const priority = lowerThreadPriority();
server.log(
  'debug',
  priority.lowered
    ? `Backend thread ${priority.tid} runs at nice ${priority.nice}: the editor's threads come first.`
    : `Backend thread priority left as it is: ${priority.reason}.`,
);
