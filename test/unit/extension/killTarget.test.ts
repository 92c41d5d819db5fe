import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { ProcessSample } from '../../../src/backend/types';
import {
  checkKillTarget,
  classifyKillError,
  killOutcomeMessage,
  processContextValue,
  sameProcessAlive,
} from '../../../src/extension/processes/killTarget';

const target = (pid: number, name = 'thing') => ({ pid, startTime: 1000, name });
const sample = (pid: number, startTime: number, state = 'S'): ProcessSample => ({
  pid,
  ppid: 1,
  startTime,
  name: 'thing',
  command: '',
  user: '',
  state,
  cpu: 0,
  rssBytes: 0,
  threads: 1,
});

describe('checkKillTarget', () => {
  it('refuses init, the extension host itself and ids that signal groups', () => {
    expect(checkKillTarget(target(1, 'systemd'), 4242)).toEqual({
      refused: true,
      reason: expect.stringMatching(/systemd \(pid 1\).*init/),
    });
    expect(checkKillTarget(target(4242, 'node'), 4242)).toEqual({
      refused: true,
      reason: expect.stringMatching(/node \(pid 4242\).*extension host/),
    });
    for (const pid of [0, -1, -4242, 1.5, NaN]) expect(checkKillTarget(target(pid), 4242).refused, String(pid)).toBe(true);
  });

  it('allows any other process', () => {
    expect(checkKillTarget(target(4243), 4242)).toEqual({ refused: false });
    expect(checkKillTarget(target(2), 4242)).toEqual({ refused: false });
  });

  it('shows Kill in the menu only for processes it would end, and Copy Command Line only with one', () => {
    expect(processContextValue({ ...sample(1, 0), command: '/sbin/init' }, 99)).toBe('process;cmd');
    expect(processContextValue(sample(99, 0), 99)).toBe('process');
    expect(processContextValue(sample(500, 0), 99)).toBe('process;killable');
  });
});

describe('sameProcessAlive', () => {
  it('tells the same process from a new one that reused its pid', () => {
    expect(sameProcessAlive(target(10), [sample(10, 1000)])).toBe('alive');
    expect(sameProcessAlive(target(10), [sample(10, 2000)])).toBe('replaced');
    expect(sameProcessAlive(target(10), [sample(11, 1000)])).toBe('gone');
    expect(sameProcessAlive(target(10), [sample(10, 1000, 'Z')])).toBe('gone');
    expect(sameProcessAlive(target(10), undefined)).toBe('unknown');
  });
});

describe('kill outcomes', () => {
  it('classifies the errors process.kill throws for a real exited process', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    await once(child, 'exit');
    let err: unknown;
    try {
      process.kill(child.pid!, 'SIGTERM');
    } catch (e) {
      err = e;
    }
    expect(classifyKillError(err)).toBe('already-gone');
  });

  it('maps EPERM to a plain permission message', () => {
    // Root may signal anything, so EPERM cannot be provoked here; the error shape is Node's.
    const eperm = Object.assign(new Error('kill EPERM'), { code: 'EPERM', syscall: 'kill' });
    expect(classifyKillError(eperm)).toBe('permission-denied');
    expect(killOutcomeMessage('permission-denied', target(77, 'sshd'), 'SIGTERM')).toBe("You don't have permission to end sshd (pid 77).");
    expect(killOutcomeMessage('already-gone', target(77, 'sshd'), 'SIGTERM')).toBe('sshd (pid 77) has already exited.');
    expect(classifyKillError(new Error('other'))).toBe('failed');
  });
});

describe('describeTarget', () => {
  it('names the process once, with its pid, or only the pid when the name is unknown', async () => {
    const { describeTarget } = await import('../../../src/extension/processes/killTarget');
    expect(describeTarget({ name: 'node', pid: 42 })).toBe('node (pid 42)');
    expect(describeTarget({ name: 'pid 42', pid: 42 })).toBe('pid 42');
  });
});
