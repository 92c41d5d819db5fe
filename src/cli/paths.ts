// Where the CLI keeps its history when no --db is given: the OS's per-user data directory.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? env.APPDATA ?? join(homedir(), 'AppData', 'Local'), 'Vitals');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Vitals');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'vitals');
}

export function defaultDatabasePath(): string {
  return join(defaultDataDir(), 'vitals.sqlite');
}
