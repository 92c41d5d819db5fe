// The peer the shipped recorder is compared with, as its own process: what the popular VS Code
// system monitors do — poll systeminformation's processes(), currentLoad(), mem(), networkStats()
// and fsSize() every interval (2 s), keep the latest answer, and nothing else. Bundled by
// bench/build.mjs into out/bench/si-monitor.js and started by the shipped-recorder section
// (bench/sections/shipped.ts); it runs until it is killed, and stops by itself should its parent die.
import * as si from 'systeminformation';

const intervalMs = Number(process.argv[2] ?? 2000);
const parent = process.ppid;
let latest: unknown;
let busy = false;

async function poll(): Promise<void> {
  // One poll at a time, as a UI that awaits its data before asking again would.
  if (busy) return;
  busy = true;
  try {
    latest = await Promise.all([si.processes(), si.currentLoad(), si.mem(), si.networkStats(), si.fsSize()]);
  } catch (e) {
    process.stderr.write(`si-monitor: ${String(e)}\n`);
  } finally {
    busy = false;
  }
}

setInterval(() => {
  void poll();
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, intervalMs);
void poll();
// Keeps the answer reachable, as a monitor that shows it would.
process.on('SIGUSR2', () => process.stdout.write(`${JSON.stringify(latest).length}\n`));
