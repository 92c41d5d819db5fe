import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SETTINGS, SETTINGS_SECTION, validateSettings, defaultSettings, type SettingKey } from '../../src/backend/config';

const from = (values: Partial<Record<SettingKey, unknown>>) => (k: SettingKey) => values[k];

describe('validateSettings', () => {
  it('uses the defaults when nothing is set', () => {
    const { monitor, problems } = defaultSettings();
    expect(problems).toEqual([]);
    expect(monitor.sampleIntervalMs).toBe(2000);
    expect(monitor.commandLine).toBe('redacted');
    expect(monitor.retention.maxDatabaseMB).toBe(64);
  });

  it('clamps out-of-range numbers to the nearest valid value and names the setting', () => {
    const { monitor, problems } = validateSettings(from({ 'sampling.intervalSeconds': 0.01, 'storage.maxSizeMB': 1e9 }));
    expect(monitor.sampleIntervalMs).toBe(500);
    expect(monitor.retention.maxDatabaseMB).toBe(4096);
    expect(problems.map((p) => p.setting)).toEqual(['vitals.sampling.intervalSeconds', 'vitals.storage.maxSizeMB']);
    expect(problems[0]!.message).toMatch(/outside 0.5–60; using 0.5/);
  });

  it('replaces wrong types and unknown enum values with the default', () => {
    const { monitor, problems } = validateSettings(
      from({ 'privacy.commandLine': 'everything', 'recording.enabled': 'yes', 'retention.minuteDays': 'x' }),
    );
    expect(monitor.commandLine).toBe('redacted');
    expect(monitor.recording).toBe(true);
    expect(monitor.retention.minuteDays).toBe(7);
    expect(problems).toHaveLength(3);
  });

  it('reads the metrics endpoint settings: off by default, an unusable address named and left off', () => {
    expect(defaultSettings().monitor.metrics).toEqual({ listen: null, tokenFile: null, processGroups: 10 });
    const on = validateSettings(from({ 'metrics.listen': ' 9464 ', 'metrics.tokenFile': '/run/vitals/token' }));
    expect(on.monitor.metrics).toEqual({ listen: { host: '127.0.0.1', port: 9464 }, tokenFile: '/run/vitals/token', processGroups: 10 });
    expect(on.problems).toEqual([]);
    // A token file that cannot be used never means "serve without a token".
    const relative = validateSettings(from({ 'metrics.listen': '9464', 'metrics.tokenFile': 'token' }));
    expect(relative.monitor.metrics).toEqual({ listen: null, tokenFile: null, processGroups: 10 });
    expect(relative.problems.map((p) => p.message)).toEqual([
      'vitals.metrics.tokenFile is not usable: "token" is not an absolute path; using "".',
      'vitals.metrics.listen is not served until vitals.metrics.tokenFile is usable.',
    ]);
    const bad = validateSettings(from({ 'metrics.listen': 'localhost:http', 'metrics.tokenFile': 3 }));
    expect(bad.monitor.metrics.listen).toBeNull();
    expect(bad.monitor.metrics.tokenFile).toBeNull();
    expect(bad.problems.map((p) => p.message)).toEqual([
      'vitals.metrics.listen is not usable: "localhost:http" is not a listen address; expected HOST:PORT such as 127.0.0.1:9464, [::1]:9464, or a port alone for loopback; using "".',
      'vitals.metrics.tokenFile must be text; using "".',
    ]);
  });

  it('never flushes faster than it samples, nor errors below warnings', () => {
    const s = validateSettings(
      from({
        'sampling.intervalSeconds': 10,
        'storage.flushIntervalSeconds': 1,
        'statusBar.cpuWarningPercent': 90,
        'statusBar.cpuErrorPercent': 50,
      }),
    );
    expect(s.monitor.flushIntervalMs).toBe(10_000);
    expect(s.ui.statusBar.cpuErrorPercent).toBe(90);
  });
});

describe('package.json contributes.configuration', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    contributes?: { configuration?: { properties?: Record<string, Record<string, unknown>> } };
  };
  const props = pkg.contributes?.configuration?.properties;

  it.skipIf(!props)('declares every setting with the same type, default and range', () => {
    for (const [key, spec] of Object.entries(SETTINGS)) {
      const p = props![`${SETTINGS_SECTION}.${key}`];
      expect(p, key).toBeDefined();
      expect(p!.type, key).toBe(spec.type);
      expect(p!.default, key).toEqual(spec.default);
      if ('minimum' in spec) expect([p!.minimum, p!.maximum], key).toEqual([spec.minimum, spec.maximum]);
      if ('enum' in spec) expect(p!.enum, key).toEqual(spec.enum);
      expect(typeof p!.description === 'string' || typeof p!.markdownDescription === 'string', key).toBe(true);
    }
    expect(Object.keys(props!).sort()).toEqual(
      Object.keys(SETTINGS)
        .map((k) => `${SETTINGS_SECTION}.${k}`)
        .sort(),
    );
  });
});

describe('README', () => {
  it('documents every setting', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const key of Object.keys(SETTINGS)) {
      const short = key.split('.').pop()!;
      expect(readme.includes(`\`${key}\``) || readme.includes(short), key).toBe(true);
    }
  });
});
