#!/usr/bin/env node
// Installs a pinned code-server (a real VS Code workbench + extension host, served to a browser)
// into the ignored cache .vscode-test/code-server-<version>/, the way @vscode/test-electron caches
// VS Code there. It comes from npm because this machine and CI reach no other download site; it is
// kept out of package.json because it is ~300 MB and only the VS Code suites need it.
//
// Usage: node scripts/code-server/install.mjs [--force] [--quiet]
// Progress goes to stderr; stdout gets only the code-server executable's path. Exits non-zero with the reason.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// 4.100.3 (VS Code 1.100.3) is the newest code-server whose engines allow Node 20; 4.103+ need 22.
// package.json's engines.vscode must stay at or below ^1.100.0 for the extension to load in it.
export const CODE_SERVER_VERSION = '4.100.3';
const REQUIRED_NODE_MAJOR = 20;
// code-server 4.100.3 depends on @vscode/ripgrep 1.15.11, whose postinstall downloads rg from a
// site this machine cannot reach unless the archive is already in its cache folder.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_BINARY_VERSION = 'v13.0.0-10';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// VITALS_CODE_SERVER_DIR puts the install elsewhere (e.g. a cache shared by several clones).
export const installDir = process.env.VITALS_CODE_SERVER_DIR
  ? resolve(process.env.VITALS_CODE_SERVER_DIR)
  : join(root, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
export const codeServerBin = join(installDir, 'node_modules', '.bin', 'code-server');
const marker = join(installDir, '.installed.json');
const installLog = `${installDir}-install.log`;
const lockDir = `${installDir}.lock`;

let holdingLock = false;

function fail(message) {
  console.error(`\ncode-server install: FAILED: ${message}`);
  if (holdingLock) rmSync(lockDir, { recursive: true, force: true });
  process.exit(1);
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function isInstalled() {
  if (!existsSync(marker) || !existsSync(codeServerBin)) return false;
  try {
    const m = JSON.parse(readFileSync(marker, 'utf8'));
    // Native modules (argon2, node-pty, kerberos) are built against one Node ABI.
    return m.version === CODE_SERVER_VERSION && m.nodeMajor === process.versions.node.split('.')[0];
  } catch {
    return false;
  }
}

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== REQUIRED_NODE_MAJOR) {
    fail(
      `code-server ${CODE_SERVER_VERSION} requires Node ${REQUIRED_NODE_MAJOR} (its engines field), ` +
        `but this is Node ${process.versions.node}. Run with Node ${REQUIRED_NODE_MAJOR}, or pin a ` +
        `code-server that supports this Node in scripts/code-server/install.mjs (4.103+ need Node 22, ` +
        `4.133+ Node 24) and raise engines.vscode to match.`,
    );
  }
}

// Native modules compile offline only against the headers of the Node that is running.
function nodeHeadersDir() {
  const candidates = [process.env.npm_config_nodedir, dirname(dirname(process.execPath)), '/usr'];
  for (const c of candidates) {
    if (c && existsSync(join(c, 'include', 'node', 'node.h'))) return c;
  }
  return fail(
    `no Node headers found (looked for include/node/node.h under ${candidates.filter(Boolean).join(', ')}). ` +
      `argon2, kerberos and node-pty must compile from source offline; install Node with its headers.`,
  );
}

function checkSystemPackages() {
  const missing = [];
  if (!which('rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/include/gssapi.h')) missing.push('libkrb5-dev');
  if (!which('make') || !(which('g++') || which('c++'))) missing.push('build-essential');
  if (!which('python3')) missing.push('python3');
  if (missing.length > 0) {
    fail(
      `missing system packages: ${missing.join(', ')}. Install them first: ` +
        `apt-get update && apt-get install -y ${missing.join(' ')}  (.ci/run does this).`,
    );
  }
}

function tailOf(file, lines) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

// Runs a command with its output in a log file, saying every 30 s that it is still going.
function runLogged(cmd, args, options, logFile, started) {
  return new Promise((resolvePromise) => {
    const fd = openSync(logFile, 'a');
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const heartbeat = setInterval(() => {
      console.error(`code-server install: still installing (${Math.round((Date.now() - started) / 1000)} s; log: ${logFile})`);
    }, 30_000);
    child.on('error', (err) => {
      clearInterval(heartbeat);
      fail(`could not run ${cmd}: ${err.message}`);
    });
    child.on('close', (code, signal) => {
      clearInterval(heartbeat);
      resolvePromise(code ?? (signal ? 128 : 1));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

// Two runners starting at once on a fresh machine must not install into the same folder together:
// the second waits for the first (an atomic mkdir is the lock; a dead holder's lock is taken over).
async function withInstallLock(fn) {
  mkdirSync(dirname(lockDir), { recursive: true });
  for (let waited = 0; ; waited += 2) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      holdingLock = true;
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const holder = Number(tailOf(join(lockDir, 'pid'), 1).trim());
      if (holder > 0 && !pidAlive(holder)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (waited % 30 === 0) console.error(`code-server install: waiting for another install (pid ${holder || '?'}) to finish`);
      if (waited > 20 * 60) fail(`gave up waiting for the install lock ${lockDir}; remove it if no install is running`);
      await sleep(2000);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
    holdingLock = false;
  }
}

function npmKnowsConfig(key) {
  const r = spawnSync('npm', ['config', 'get', key], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== 'undefined';
}

function ripgrepTarget() {
  if (process.platform !== 'linux') return null;
  if (process.arch === 'x64') return 'x86_64-unknown-linux-musl';
  if (process.arch === 'arm64') return 'aarch64-unknown-linux-gnu';
  return null;
}

// Put Debian's rg where @vscode/ripgrep's postinstall looks before it tries to download.
function prefillRipgrepCache() {
  const target = ripgrepTarget();
  if (!target) {
    console.warn(`code-server install: no ripgrep cache prefill for ${process.platform}/${process.arch}; its download may fail`);
    return;
  }
  const cacheDir = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const archive = join(cacheDir, `ripgrep-${RIPGREP_BINARY_VERSION}-${target}.tar.gz`);
  if (existsSync(archive)) return;
  mkdirSync(cacheDir, { recursive: true });
  const rg = which('rg');
  const r = spawnSync('tar', ['czf', archive, '-C', dirname(rg), 'rg'], { stdio: ['ignore', 2, 2] });
  if (r.status !== 0) fail(`could not write the ripgrep cache archive ${archive}`);
}

async function install() {
  checkNode();
  checkSystemPackages();
  const nodedir = nodeHeadersDir();
  prefillRipgrepCache();

  // A folder without the marker is a failed or interrupted install: start over.
  rmSync(installDir, { recursive: true, force: true });
  mkdirSync(installDir, { recursive: true });
  // Its own package.json, so npm treats the folder as a project and lets code-server's
  // dependencies run the install scripts it cannot work without (postinstall builds lib/vscode).
  writeFileSync(join(installDir, 'package.json'), JSON.stringify({ name: 'vitals-code-server-cache', private: true }, null, 2) + '\n');
  const started = Date.now();
  console.error(
    `code-server install: npm install code-server@${CODE_SERVER_VERSION} into ${installDir} (70 s to 5 min, ~300 MB; log: ${installLog})`,
  );
  const args = [
    'install',
    '--prefix',
    installDir,
    `code-server@${CODE_SERVER_VERSION}`,
    '--unsafe-perm',
    '--foreground-scripts',
    '--no-audit',
    '--no-fund',
    '--no-package-lock',
  ];
  // npm 11.x blocks or flags dependency install scripts that package.json's allowScripts does not
  // list; code-server is useless without them. Older npm runs them by default and lacks the flag.
  if (npmKnowsConfig('dangerously-allow-all-scripts')) args.push('--dangerously-allow-all-scripts');
  const env = {
    ...process.env,
    npm_config_nodedir: nodedir,
    // node-pty's install runs `npx node-gyp`, which would otherwise wait for a yes.
    npm_config_yes: 'true',
    npm_config_update_notifier: 'false',
  };
  // npm's (long) output goes to a log file, shown when it fails; stdout carries only the
  // executable's path, for the runners.
  rmSync(installLog, { force: true });
  const status = await runLogged('npm', args, { cwd: installDir, env }, installLog, started);
  if (status !== 0) {
    fail(`npm install code-server@${CODE_SERVER_VERSION} exited with ${status}; last lines of ${installLog}:\n` + tailOf(installLog, 60));
  }
  if (!existsSync(codeServerBin)) fail(`npm finished but ${codeServerBin} is missing`);

  // Even --version writes a config file and a log folder: keep them out of the user's home.
  const probeDir = mkdtempSync(join(tmpdir(), 'code-server-probe-'));
  const probe = spawnSync(codeServerBin, ['--config', join(probeDir, 'config.yaml'), '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, XDG_CONFIG_HOME: probeDir, XDG_DATA_HOME: probeDir },
  });
  rmSync(probeDir, { recursive: true, force: true });
  const versionLine = (probe.stdout ?? '').split('\n').find((l) => l.startsWith(`${CODE_SERVER_VERSION} `));
  if (probe.status !== 0 || !versionLine) {
    fail(`installed code-server does not run: ${(probe.stderr || probe.stdout || String(probe.error)).trim()}`);
  }
  writeFileSync(
    marker,
    JSON.stringify(
      {
        version: CODE_SERVER_VERSION,
        nodeMajor: process.versions.node.split('.')[0],
        node: process.versions.node,
        installedAt: new Date().toISOString(),
      },
      null,
      2,
    ) + '\n',
  );
  console.error(`code-server install: done in ${((Date.now() - started) / 1000).toFixed(1)} s (${versionLine})`);
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const force = process.argv.includes('--force');
  if (force || !isInstalled()) {
    await withInstallLock(async () => {
      // Another runner may have finished the install while this one waited for the lock.
      if (force || !isInstalled()) await install();
    });
  } else if (!process.argv.includes('--quiet')) {
    console.error(`code-server ${CODE_SERVER_VERSION}: cached in ${installDir}`);
  }
  console.log(codeServerBin);
}
