import { describe, expect, it } from 'vitest';
import { MAX_COMMAND_LENGTH, presentCommandLine, redactCommandLine } from '../../../src/backend/sampling/redact';

/** [what, command as the OS reports it, what 'redacted' must make of it]. */
export const REDACTION_CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['--password=x', 'app --password=hunter2 --verbose', 'app --password=*** --verbose'],
  ['--password x', 'app --password hunter2 --verbose', 'app --password *** --verbose'],
  ['--passwd', 'app --passwd=hunter2', 'app --passwd=***'],
  ['--passwd x', 'app --passwd hunter2 file.txt', 'app --passwd *** file.txt'],
  ['--db-password x', 'server --db-password s3cr3t', 'server --db-password ***'],
  ['--token=x', 'gh --token=ghp_abc123 repo list', 'gh --token=*** repo list'],
  ['--token x', 'gh --token ghp_abc123 repo list', 'gh --token *** repo list'],
  ['--api-key=x', 'cli --api-key=sk-123 run', 'cli --api-key=*** run'],
  ['--api-key x', 'cli --api-key sk-123 run', 'cli --api-key *** run'],
  ['--apikey x', 'cli --apikey sk-123', 'cli --apikey ***'],
  ['--secret=x', 'vault --secret=abc', 'vault --secret=***'],
  ['--client-secret x', 'oauth --client-secret abc --client-id 42', 'oauth --client-secret *** --client-id 42'],
  ['--auth x', 'proxy --auth user:pass --port 8080', 'proxy --auth *** --port 8080'],
  ['--auth-token=x', 'jupyter --auth-token=abc', 'jupyter --auth-token=***'],
  ['--authorization x', 'tool --authorization xyz', 'tool --authorization ***'],
  ['--access-token x', 'tool --access-token xyz', 'tool --access-token ***'],
  ['--access-token=x', 'tool --access-token=xyz', 'tool --access-token=***'],
  ['single-dash long flag', 'java -jar app.jar -password hunter2', 'java -jar app.jar -password ***'],
  ['-Dsome.password=x', 'java -Djavax.net.ssl.keyStorePassword=changeit -jar a.jar', 'java -Djavax.net.ssl.keyStorePassword=*** -jar a.jar'],
  ['mysql -pxxx', 'mysql -u root -phunter2 shop', 'mysql -u root -p*** shop'],
  ['mysql -p x', 'mysql -u root -p hunter2', 'mysql -u root -p ***'],
  ['mysqldump -pxxx by path', '/usr/bin/mysqldump -uroot -phunter2 db', '/usr/bin/mysqldump -uroot -p*** db'],
  ['sshpass -p x', 'sshpass -p hunter2 ssh host', 'sshpass -p *** ssh host'],
  ['redis-cli -a x', 'redis-cli -h cache -a hunter2 ping', 'redis-cli -h cache -a *** ping'],
  ['curl -u user:pass', 'curl -u alice:hunter2 https://api.example.com', 'curl -u alice:*** https://api.example.com'],
  ['*_KEY=', 'env AWS_SECRET_ACCESS_KEY=abc123 aws s3 ls', 'env AWS_SECRET_ACCESS_KEY=*** aws s3 ls'],
  ['*_TOKEN=', 'env GITHUB_TOKEN=ghp_x npm publish', 'env GITHUB_TOKEN=*** npm publish'],
  ['*_SECRET=', 'sh -c JWT_SECRET=abc node server.js', 'sh -c JWT_SECRET=*** node server.js'],
  ['*PASSWORD=', 'env PGPASSWORD=hunter2 psql', 'env PGPASSWORD=*** psql'],
  ['*PASSWORD= in a quoted shell string', `sh -c "DB_PASSWORD='a b' ./run"`, `sh -c "DB_PASSWORD=*** ./run"`],
  ['Authorization: Bearer', 'curl -H Authorization: Bearer eyJhbGci.x.y https://api.example.com', 'curl -H Authorization: Bearer *** https://api.example.com'],
  ['Authorization: Basic', 'curl -H Authorization: Basic dXNlcjpwYXNz https://h', 'curl -H Authorization: Basic *** https://h'],
  ['-H "Authorization: …" quoted', `sh -c curl -H "Authorization: Bearer abc.def" https://h`, `sh -c curl -H "Authorization: Bearer ***" https://h`],
  ['Authorization without a scheme', 'curl --header Authorization:abc https://h', 'curl --header Authorization:*** https://h'],
  ['X-Api-Key header', 'curl -H X-Api-Key: abc https://h', 'curl -H X-Api-Key: *** https://h'],
  ['URL credentials', 'git clone https://alice:hunter2@github.com/o/r.git', 'git clone https://alice:***@github.com/o/r.git'],
  ['URL credentials, other scheme', 'psql postgres://app:s3cr3t@db:5432/shop', 'psql postgres://app:***@db:5432/shop'],
  ['URL credentials, empty user', 'redis-server --replicaof redis://:pw@host:6379', 'redis-server --replicaof redis://:***@host:6379'],
  ['URL password with an unescaped @', 'tool https://bob:p@ss@host/x', 'tool https://bob:***@host/x'],
  ['?token=', 'wget https://h/file?token=abc123', 'wget https://h/file?token=***'],
  ['&access_token=', 'curl https://h/api?x=1&access_token=abc&y=2', 'curl https://h/api?x=1&access_token=***&y=2'],
  ['&api_key=', 'curl https://h/api?q=cats&api_key=abc', 'curl https://h/api?q=cats&api_key=***'],
  ['?sig= (signed URLs)', 'azcopy copy https://acct.blob.core.windows.net/c?sv=2020&sig=abc%3D .', 'azcopy copy https://acct.blob.core.windows.net/c?sv=2020&sig=*** .'],
];

/** Commands that must come out of 'redacted' unchanged: nothing secret in them. */
export const UNCHANGED_CASES: readonly string[] = [
  'node /usr/lib/node_modules/npm/bin/npm-cli.js run build',
  'mkdir -p /tmp/a/b',
  'ssh -p 2222 host',
  'gcc -pthread -O2 -o app main.c',
  'docker run -p 8080:80 -u 1000:1000 nginx',
  'git commit --author=alice -m fix',
  'app --password-file /run/secrets/db --token-path /run/t',
  'app --no-auth serve',
  'code --auth-type oauth',
  'SSH_AUTH_SOCK=/tmp/ssh-x/agent.1 bash',
  'curl https://example.com/search?q=token&page=2',
  'git clone https://github.com/o/r.git',
  '/process_api --addr 0.0.0.0:2024 --auth-required',
  '[kworker/0:1-events]',
  '',
];

describe('redactCommandLine', () => {
  it.each(REDACTION_CASES)('masks %s', (_what, cmd, expected) => {
    expect(redactCommandLine(cmd, 'redacted')).toBe(expected);
  });

  it.each(UNCHANGED_CASES.map((c) => [c]))('keeps %j as it is', (cmd) => {
    expect(redactCommandLine(cmd, 'redacted')).toBe(cmd);
  });

  it("'full' keeps everything, 'off' keeps nothing", () => {
    for (const [, cmd] of REDACTION_CASES) {
      expect(redactCommandLine(cmd, 'full')).toBe(cmd);
      expect(redactCommandLine(cmd, 'off')).toBe('');
    }
  });

  it('never leaves a secret value behind', () => {
    for (const [, cmd] of REDACTION_CASES) {
      const out = redactCommandLine(cmd, 'redacted');
      for (const secret of ['hunter2', 'ghp_abc123', 'sk-123', 's3cr3t', 'eyJhbGci', 'dXNlcjpwYXNz', 'abc123', 'changeit']) {
        expect(out, cmd).not.toContain(secret);
      }
    }
  });

  it('is stable when applied twice', () => {
    for (const [, cmd, expected] of REDACTION_CASES) expect(redactCommandLine(expected, 'redacted'), cmd).toBe(expected);
  });

  it('caps very long command lines after masking', () => {
    const long = `java --password=hunter2 -cp ${'x'.repeat(10_000)}`;
    const out = presentCommandLine(long, 'redacted');
    expect(out.length).toBe(MAX_COMMAND_LENGTH + 1);
    expect(out.startsWith('java --password=*** -cp x')).toBe(true);
    expect(out.endsWith('…')).toBe(true);
  });
});
