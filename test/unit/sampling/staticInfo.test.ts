// Static machine facts on Linux come from /proc/cpuinfo and /etc/os-release (no systeminformation,
// no helper processes); here from a fake root, and once from the real files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanCpuModel, fromLinuxFiles, readStaticInfo } from '../../../src/backend/sampling/staticInfo';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

function fakeRoot(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'vitals-static-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('static info on Linux', () => {
  it('names the CPU and the distribution as systeminformation did', () => {
    const r = fakeRoot({
      '/proc/cpuinfo': 'processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13 64-Core Processor\n\nprocessor\t: 1\n',
      '/etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
    });
    expect(fromLinuxFiles(r)).toEqual({ cpuModel: 'AMD EPYC 7B13', osName: 'Debian GNU/Linux 12' });
  });

  it('drops trademarks and the clock from Intel names', () => {
    expect(cleanCpuModel('Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz')).toBe('Intel Core i7-8550U');
    expect(cleanCpuModel('Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz')).toBe('Intel Xeon Platinum 8370C');
  });

  it('falls back to /usr/lib/os-release, and to the os module when the files say nothing', async () => {
    const r = fakeRoot({ '/usr/lib/os-release': "NAME='Arch Linux'\n", '/proc/cpuinfo': 'processor\t: 0\n' });
    expect(fromLinuxFiles(r)).toEqual({ cpuModel: '', osName: 'Arch Linux' });
    const info = await readStaticInfo('linux', fakeRoot({}));
    expect(info.os.length).toBeGreaterThan(0);
    expect(info.cpuModel.length).toBeGreaterThan(0);
  });

  it.runIf(process.platform === 'linux')('reads this machine', async () => {
    const info = await readStaticInfo();
    expect(info.cpuModel).not.toBe('unknown');
    expect(info.os).not.toMatch(/^Linux \d/);
  });
});
