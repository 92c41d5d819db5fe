// uid → user name from /etc/passwd. Read once; read again only when a uid is unknown AND the file
// changed since (a user added while we run), so an unknown uid (LDAP, a container's uid) costs one
// stat, not a re-parse, per new process.

import { readFileSync, statSync } from 'node:fs';

export class UserNames {
  private names = new Map<number, string>();
  private version = '';

  constructor(private readonly passwdPath = '/etc/passwd') {
    this.load();
  }

  name(uid: number): string {
    const known = this.names.get(uid);
    if (known !== undefined) return known;
    if (this.fileVersion() !== this.version) {
      this.load();
      const again = this.names.get(uid);
      if (again !== undefined) return again;
    }
    return String(uid);
  }

  private fileVersion(): string {
    try {
      const st = statSync(this.passwdPath);
      return `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      return '';
    }
  }

  private load(): void {
    this.version = this.fileVersion();
    this.names.clear();
    let text: string;
    try {
      text = readFileSync(this.passwdPath, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      const parts = line.split(':');
      if (parts.length < 3) continue;
      const uid = Number(parts[2]);
      // The first entry for a uid wins, as getpwuid does.
      if (Number.isInteger(uid) && parts[0] && !this.names.has(uid)) this.names.set(uid, parts[0]);
    }
  }
}
