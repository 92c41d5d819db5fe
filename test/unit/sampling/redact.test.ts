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
  [
    '-Dsome.password=x',
    'java -Djavax.net.ssl.keyStorePassword=changeit -jar a.jar',
    'java -Djavax.net.ssl.keyStorePassword=*** -jar a.jar',
  ],
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
  [
    'Authorization: Bearer',
    'curl -H Authorization: Bearer eyJhbGci.x.y https://api.example.com',
    'curl -H Authorization: Bearer *** https://api.example.com',
  ],
  ['Authorization: Basic', 'curl -H Authorization: Basic dXNlcjpwYXNz https://h', 'curl -H Authorization: Basic *** https://h'],
  [
    '-H "Authorization: …" quoted',
    `sh -c curl -H "Authorization: Bearer abc.def" https://h`,
    `sh -c curl -H "Authorization: Bearer ***" https://h`,
  ],
  ['Authorization without a scheme', 'curl --header Authorization:abc https://h', 'curl --header Authorization:*** https://h'],
  ['X-Api-Key header', 'curl -H X-Api-Key: abc https://h', 'curl -H X-Api-Key: *** https://h'],
  ['URL credentials', 'git clone https://alice:hunter2@github.com/o/r.git', 'git clone https://alice:***@github.com/o/r.git'],
  ['URL credentials, other scheme', 'psql postgres://app:s3cr3t@db:5432/shop', 'psql postgres://app:***@db:5432/shop'],
  ['URL credentials, empty user', 'redis-server --replicaof redis://:pw@host:6379', 'redis-server --replicaof redis://:***@host:6379'],
  ['URL password with an unescaped @', 'tool https://bob:p@ss@host/x', 'tool https://bob:***@host/x'],
  ['?token=', 'wget https://h/file?token=abc123', 'wget https://h/file?token=***'],
  ['&access_token=', 'curl https://h/api?x=1&access_token=abc&y=2', 'curl https://h/api?x=1&access_token=***&y=2'],
  ['&api_key=', 'curl https://h/api?q=cats&api_key=abc', 'curl https://h/api?q=cats&api_key=***'],
  [
    '?sig= (signed URLs)',
    'azcopy copy https://acct.blob.core.windows.net/c?sv=2020&sig=abc%3D .',
    'azcopy copy https://acct.blob.core.windows.net/c?sv=2020&sig=*** .',
  ],
  // Bare well-known tokens, wherever they are.
  ['a bare GitHub token', 'node deploy.js ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'node deploy.js ***'],
  [
    'a GitHub token as a git remote user',
    'git push https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r.git main',
    'git push https://***@github.com/o/r.git main',
  ],
  [
    'a fine-grained GitHub token',
    'gh auth login --with-token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
    'gh auth login --with-token ***',
  ],
  [
    'a GitLab token in a remote',
    'git remote add origin https://oauth2:glpat-abcdefghij0123456789@gitlab.com/o/r.git',
    'git remote add origin https://oauth2:***@gitlab.com/o/r.git',
  ],
  ['an AWS access key id', 'aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE', 'aws configure set aws_access_key_id ***'],
  [
    'aws configure set of a secret',
    'aws configure set aws_secret_access_key wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY',
    'aws configure set aws_secret_access_key ***',
  ],
  ['a Slack token', 'notify xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx #ops', 'notify *** #ops'],
  ['an OpenAI-style key', 'python bot.py sk-proj-abcdefghijklmnopqrstuvwxyz012345', 'python bot.py ***'],
  ['a Stripe key', 'stripe listen --forward-to localhost sk_live_abcdefghijklmnop1234', 'stripe listen --forward-to localhost ***'],
  [
    'an npm token',
    'npm config set //registry.npmjs.org/:_authToken npm_abcdefghijklmnopqrstuvwxyz0123456789',
    'npm config set //registry.npmjs.org/:_authToken ***',
  ],
  ['npm _authToken=', 'npm config set //registry.npmjs.org/:_authToken=abc123', 'npm config set //registry.npmjs.org/:_authToken=***'],
  ['a Google API key', 'app --maps AIzaSyA1234567890abcdefghijklmnopqrstuv', 'app --maps ***'],
  [
    'a bare JWT',
    'grpcurl -H x-jwt:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U host',
    'grpcurl -H x-jwt:*** host',
  ],
  // Bearer tokens outside an Authorization header.
  [
    'Bearer in gRPC metadata',
    `grpcurl -rpc-header 'authorization: Bearer abcdef123' host`,
    `grpcurl -rpc-header 'authorization: Bearer ***' host`,
  ],
  ['Bearer after -H=', 'websocat -H=Bearer abcdef123 wss://h', 'websocat -H=Bearer *** wss://h'],
  ['curl --oauth2-bearer', 'curl --oauth2-bearer abcdef123 https://h', 'curl --oauth2-bearer *** https://h'],
  // JSON and YAML pairs.
  ['JSON "password":"x"', `node -e {"password":"hunter2","user":"bob"}`, `node -e {"password":"***","user":"bob"}`],
  ['JSON "token": "x"', `tool --config {"token": "abc123", "region": "eu"}`, `tool --config {"token": "***", "region": "eu"}`],
  ["JSON 'secret': 'x'", `py -c print({'client_secret': 'abc123'})`, `py -c print({'client_secret': '***'})`],
  ['YAML token: x', 'helm install x --set-json token: abc123', 'helm install x --set-json token: ***'],
  ['YAML password: x in flow style', 'app --values {user: bob, password: hunter2}', 'app --values {user: bob, password: ***}'],
  // Secret-named flags with their value in another shape.
  ['--passwd:x', 'app --passwd:hunter2 run', 'app --passwd:*** run'],
  ['/password:x (Windows tools)', 'tool.exe /password:hunter2 /quiet', 'tool.exe /password:*** /quiet'],
  ['MSBuild /p:Password=x', 'msbuild /p:Password=hunter2 app.sln', 'msbuild /p:Password=*** app.sln'],
  [
    '--from-literal=password=x',
    'kubectl create secret generic db --from-literal=password=hunter2',
    'kubectl create secret generic db --from-literal=password=***',
  ],
  ['docker login -p x', 'docker login -u bob -p hunter2 registry.example.com', 'docker login -u bob -p *** registry.example.com'],
  [
    'az login -p x',
    'az login --service-principal -u app-id -p hunter2 --tenant t',
    'az login --service-principal -u app-id -p *** --tenant t',
  ],
  [
    'docker -e PASSWORD=x',
    'docker run -e POSTGRES_PASSWORD=hunter2 -p 5432:5432 postgres',
    'docker run -e POSTGRES_PASSWORD=*** -p 5432:5432 postgres',
  ],
  ['psql connection string', `psql "host=db user=app password=hunter2 dbname=shop"`, `psql "host=db user=app password=*** dbname=shop"`],
  ['mysql --password x', 'mysql --user root --password hunter2 shop', 'mysql --user root --password *** shop'],
];

/**
 * Arguments as /proc/<pid>/cmdline holds them (NUL-separated) and what 'redacted' makes of them: the
 * value of a secret flag is the whole next argument, spaces included.
 */
export const ARGV_CASES: ReadonlyArray<readonly [string, string[], string]> = [
  ['--password with a value holding spaces', ['app', '--password', 'correct horse battery', '--verbose'], 'app --password *** --verbose'],
  ['--token with a quoted-looking value', ['gh', '--token', "'a b'", 'repo'], 'gh --token *** repo'],
  ['mysql -p with spaces', ['mysql', '-u', 'root', '-p', 'two words', 'shop'], 'mysql -u root -p *** shop'],
  ['sh -c with a secret inside the one argument', ['sh', '-c', 'curl -u alice:hunter2 https://h'], 'sh -c curl -u alice:*** https://h'],
  ['a flag whose next argument is another flag', ['app', '--password', '--verbose'], 'app --password --verbose'],
  ['nothing secret', ['node', '/srv/app/server.js', '--port', '8080'], 'node /srv/app/server.js --port 8080'],
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
  // Near-misses: they name a secret's place or kind, or only look like one.
  'app --password-file /run/secrets/db',
  'docker login --password-stdin registry.example.com',
  'git log --author alice --since 2.weeks',
  'node /usr/lib/code/tsserver.js --max-old-space-size=4096 --useInferredProjectPerProjectRoot',
  'cat /home/u/.config/gh/token.txt',
  'node /srv/tokens/refresh-token-worker.js --tokens-dir /var/lib/tokens',
  'gcloud auth activate-service-account --key-file /k.json',
  'ssh-keygen -t ed25519 -f /home/u/.ssh/id_ed25519',
  'pip install sk-video scikit-learn',
  'echo xoxo-gossip',
  'kubectl get secret my-secret -o yaml',
  'git -c credential.helper=store push',
  'python train.py --tokenizer bert-base --max-tokens 512',
  'docker run -p 8080:80 -e NODE_ENV=production node:20',
  'code --user-data-dir /tmp/x --extensions-dir /tmp/y',
  'vault kv get -field=password secret/db',
  'app --config {"region": "eu", "key_id": 42}',
  'curl -H Accept: application/json https://h',
];

describe('redactCommandLine', () => {
  it.each(REDACTION_CASES)('masks %s', (_what, cmd, expected) => {
    expect(redactCommandLine(cmd, 'redacted')).toBe(expected);
  });

  it.each(UNCHANGED_CASES.map((c) => [c]))('keeps %j as it is', (cmd) => {
    expect(redactCommandLine(cmd, 'redacted')).toBe(cmd);
  });

  it.each(ARGV_CASES)('masks %s, given NUL-separated arguments', (_what, args, expected) => {
    expect(redactCommandLine(args.join('\0'), 'redacted')).toBe(expected);
    expect(redactCommandLine(args.join('\0'), 'full')).toBe(args.join(' '));
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
      for (const secret of [
        'hunter2',
        'ghp_abc',
        'github_pat_',
        'glpat-',
        'AKIA',
        'wJalrXUtnFEMI',
        'xoxb-',
        'sk-123',
        'sk-proj',
        'sk_live',
        'npm_',
        'AIza',
        's3cr3t',
        'eyJhbGci',
        'dXNlcjpwYXNz',
        'abc123',
        'abcdef123',
        'changeit',
      ]) {
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
