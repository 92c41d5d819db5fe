// Masks obvious secrets in a command line before it is stored or shown. The goal is a command that
// still reads like itself ("mysql -u root -p*** shop") with the values of passwords, tokens, keys and
// credentials replaced by `***`. It is a best effort over a string, not a parser: a secret passed as a
// bare positional argument cannot be recognised unless its own shape gives it away (well-known token
// formats, JWTs), which is why `privacy.commandLine` also offers 'off'.
//
// Given the arguments NUL-separated, as /proc/<pid>/cmdline holds them, it also knows where each one
// ends: the value after `--password` is the whole next argument, spaces included.

import type { CommandLineMode } from '../types';

export const MASK = '***';

/** Command lines longer than this are cut (after masking, so a cut never hides a secret's flag). */
export const MAX_COMMAND_LENGTH = 4096;

/** `cmd` is one string, or the arguments separated by NUL (as /proc/<pid>/cmdline); the result is one line. */
export function redactCommandLine(cmd: string, mode: CommandLineMode): string {
  switch (mode) {
    case 'off':
      return '';
    case 'full':
      return cmd.replaceAll('\0', ' ');
    case 'redacted':
      return redact(cmd.includes('\0') ? maskSeparateValues(cmd.split('\0')).join(' ') : cmd);
  }
}

/** Applies the mode, then caps the length: what the samplers keep for a process. */
export function presentCommandLine(raw: string, mode: CommandLineMode): string {
  const out = redactCommandLine(raw, mode);
  return out.length > MAX_COMMAND_LENGTH ? `${out.slice(0, MAX_COMMAND_LENGTH)}…` : out;
}

// scheme://user:password@host — the password may itself hold '@' when it was not percent-encoded, so it
// runs greedily up to the last '@' before the path.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@"']*:)([^\s/"']+)@/gi;

// Authorization-like headers as curl/wget/httpie receive them ("-H", "Authorization: Bearer x").
const HEADER =
  /\b((?:Proxy-)?Authorization|X-Api-Key|X-Auth-Token|X-Access-Token|Private-Token)(:[ \t]*)((?:Bearer|Basic|Token|Digest|Negotiate|NTLM|Bot|ApiKey|OAuth)[ \t]+)?([^\s"']+)/gi;

// Well-known token formats, recognised wherever they appear (a bare argument, a git remote's user, a
// JSON blob): GitHub, GitLab, AWS access key ids, Slack, OpenAI/Anthropic-style `sk-…`, Stripe, npm,
// Google API keys, JWTs. Each needs its prefix and a body long enough (and with a digit) that words
// like `sk-learn` or `xoxo-gossip` are not mistaken for one.
const KNOWN_TOKENS =
  /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}|xox[abprse]-\d+-[A-Za-z0-9-]+|sk-(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{20,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|npm_[A-Za-z0-9]{36}|AIza[0-9A-Za-z_-]{35}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})(?![A-Za-z0-9_-])/g;

// "Bearer x" anywhere, not only after an Authorization header (gRPC metadata, websocket tools, -H=…).
const BEARER = /\b(Bearer[ \t]+)(?!\*\*\*)([A-Za-z0-9._~+/=-]{6,})/g;

// JSON and YAML key–value pairs: {"password":"x"}, 'token': 'x', token: x.
const JSON_PAIR = /(["'])([\w.-]+)\1([ \t]*:[ \t]*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s,}\]"']+)/g;
const YAML_PAIR = /(^|[\s{,])([A-Za-z_][\w.-]*)(:[ \t]+)("[^"]*"|'[^']*'|[^\s,}"']+)/g;
const SCHEME_WORD = /^(Bearer|Basic|Token|Digest|Negotiate|NTLM|Bot|ApiKey|OAuth)$/i;

// --passwd:x, /p:Password=x's cousin /password:x (MSBuild, Windows tools).
const FLAG_COLON = /(^|[\s"'])(--?|\/)([A-Za-z][\w.-]*):(?!\/\/)("[^"]*"|'[^']*'|[^\s"']+)/g;

// An assignment inside an assignment's value: --from-literal=password=x, --build-arg TOKEN=x.
const INNER_ASSIGNMENT = /=([A-Za-z_][\w.-]*)=("[^"]*"|'[^']*'|[^\s"']+)/g;

// `aws configure set aws_secret_access_key x`, `npm config set //host/:_authToken x`, `git config k v`.
const CONFIG_SET = /(^|\s)((?:set|config)[ \t]+)(\S+)([ \t]+)(?!-)(\S+)/g;

// ?token=…&access_token=… — the value ends at the next parameter.
const QUERY_PARAM = /([?&])([\w.-]+)=([^&#\s"']+)/g;
const QUERY_EXTRA = new Set(['sig', 'signature', 'x-amz-signature', 'x-amz-credential', 'code_verifier']);

// --password=x, PASSWORD=x, -Djavax.net.ssl.keyStorePassword=x, GITHUB_TOKEN=x, /p:Password=x.
const ASSIGNMENT = /(^|[\s"';:])(-{0,2})([A-Za-z_][\w.-]*)=("[^"]*"|'[^']*'|[^\s"']+)/g;

// --password x, --token x: the next word, unless it is another flag.
const FLAG_SPACE = /(^|[\s"'])(--?)([A-Za-z][\w.-]*)([ \t]+)(?!-)("[^"]*"|'[^']*'|[^\s"']+)/g;

// Programs where a short flag takes a password. Elsewhere `-p` is a port, `mkdir -p`, `gcc -pthread`,
// and `-u` a docker uid:gid, so those flags are masked only for these programs.
const P_PASSWORD_PROGRAMS =
  /^(mysql\w*|mariadb[\w-]*|sshpass|mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport|mongostat|mongotop)$/;
const A_PASSWORD_PROGRAMS = /^(redis-cli|keydb-cli|valkey-cli)$/;
const USER_COLON_PASSWORD_PROGRAMS = /^(curl|wget|lftp|svn)$/;
// `docker login -p x` (a port everywhere else in docker), `az login -p x`.
const LOGIN_PROGRAMS = /^(docker|podman|buildah|skopeo|nerdctl|helm|oras|az|cf)$/;

function passwordFlags(programs: readonly string[]): { p: boolean; a: boolean; userColon: boolean } {
  const login = programs.includes('login') && programs.some((p) => LOGIN_PROGRAMS.test(p));
  return {
    p: login || programs.some((p) => P_PASSWORD_PROGRAMS.test(p)),
    a: programs.some((p) => A_PASSWORD_PROGRAMS.test(p)),
    userColon: programs.some((p) => USER_COLON_PASSWORD_PROGRAMS.test(p)),
  };
}

/** Whether the argument is a flag whose value follows as the next argument and is a secret. */
function takesSecretValue(arg: string, flags: { p: boolean; a: boolean }): boolean {
  const m = /^(--?)([A-Za-z][\w.-]*)$/.exec(arg);
  if (!m) return false;
  const [, dashes, name] = m as unknown as [string, string, string];
  if (dashes === '-' && name.length === 1) return (name === 'p' && flags.p) || (name === 'a' && flags.a);
  return isSecretName(name) && !isBooleanLike(name);
}

/** Arguments as the kernel keeps them: a secret flag's value is the whole next argument, spaces and all. */
function maskSeparateValues(args: string[]): string[] {
  const flags = passwordFlags(programNames(args.join(' ')));
  const out = [...args];
  for (let i = 0; i + 1 < out.length; i++) {
    if (!takesSecretValue(out[i]!, flags)) continue;
    const value = out[i + 1]!;
    if (value === '' || value.startsWith('-')) continue;
    out[i + 1] = MASK;
    i++;
  }
  return out;
}

function redact(cmd: string): string {
  if (cmd === '') return cmd;
  let out = cmd.replace(KNOWN_TOKENS, MASK);
  out = out.replace(URL_CREDENTIALS, (_m, head: string, pass: string) => `${head}${pass === '' ? '' : MASK}@`);
  out = out.replace(HEADER, (_m, name: string, colon: string, scheme: string | undefined) => `${name}${colon}${scheme ?? ''}${MASK}`);
  out = out.replace(BEARER, (_m, bearer: string) => `${bearer}${MASK}`);
  out = out.replace(JSON_PAIR, (m, q: string, name: string, colon: string, value: string) =>
    isSecretName(name) ? `${q}${name}${q}${colon}${quoteLike(value, MASK)}` : m,
  );
  out = out.replace(YAML_PAIR, (m, pre: string, name: string, colon: string, value: string) =>
    isSecretName(name) && !SCHEME_WORD.test(value) && value !== MASK ? `${pre}${name}${colon}${quoteLike(value, MASK)}` : m,
  );
  out = out.replace(FLAG_COLON, (m, pre: string, dashes: string, name: string) =>
    isSecretName(name) && !isBooleanLike(name) ? `${pre}${dashes}${name}:${MASK}` : m,
  );
  out = out.replace(QUERY_PARAM, (m, sep: string, name: string) =>
    isSecretName(name) || QUERY_EXTRA.has(name.toLowerCase()) ? `${sep}${name}=${MASK}` : m,
  );
  out = out.replace(ASSIGNMENT, (m, pre: string, dashes: string, name: string) =>
    isSecretName(name) ? `${pre}${dashes}${name}=${MASK}` : m,
  );
  out = out.replace(INNER_ASSIGNMENT, (m, name: string) => (isSecretName(name) ? `=${name}=${MASK}` : m));
  const programs = programNames(out);
  if (programs.some((p) => p === 'config' || p === 'configure' || p.endsWith('config') || p === 'git'))
    out = out.replace(CONFIG_SET, (m, pre: string, set: string, key: string, space: string) =>
      isSecretName(lastSegment(key)) ? `${pre}${set}${key}${space}${MASK}` : m,
    );
  const { p: pIsPassword, a: aIsPassword, userColon: userColonPassword } = passwordFlags(programs);
  out = out.replace(FLAG_SPACE, (m, pre: string, dashes: string, name: string, space: string, value: string) => {
    if (dashes === '-' && name.length === 1) {
      if ((name === 'p' && pIsPassword) || (name === 'a' && aIsPassword)) return `${pre}-${name}${space}${MASK}`;
      if ((name === 'u' || name === 'U') && userColonPassword) return `${pre}-${name}${space}${maskAfterColon(value)}`;
      return m;
    }
    if (userColonPassword && (name === 'user' || name === 'proxy-user')) return `${pre}${dashes}${name}${space}${maskAfterColon(value)}`;
    if (isBooleanLike(name) || !isSecretName(name)) return m;
    return `${pre}${dashes}${name}${space}${MASK}`;
  });
  if (pIsPassword) out = out.replace(/(^|\s)-p(?=[^\s-])\S+/g, `$1-p${MASK}`);
  if (aIsPassword) out = out.replace(/(^|\s)-a(?=[^\s-])\S+/g, `$1-a${MASK}`);
  if (userColonPassword) out = out.replace(/(^|\s)-u([^\s:-][^\s:]*):\S+/g, `$1-u$2:${MASK}`);
  return out;
}

/** `"x"` → `"***"`, `'x'` → `'***'`, `x` → `***`. */
function quoteLike(value: string, mask: string): string {
  const q = value[0];
  return (q === '"' || q === "'") && value.endsWith(q) && value.length >= 2 ? `${q}${mask}${q}` : mask;
}

/** `//registry.npmjs.org/:_authToken` → `_authToken`; `credential.helper` stays itself. */
function lastSegment(key: string): string {
  return key.slice(Math.max(key.lastIndexOf('/'), key.lastIndexOf(':')) + 1);
}

function maskAfterColon(value: string): string {
  const i = value.indexOf(':');
  return i < 0 ? value : `${value.slice(0, i + 1)}${MASK}`;
}

function programNames(cmd: string): string[] {
  const names: string[] = [];
  for (const word of cmd.split(/\s+/)) {
    if (word === '' || word.startsWith('-')) continue;
    const base = word.slice(word.lastIndexOf('/') + 1).replace(/^["']|["']$/g, '');
    if (base !== '') names.push(base.toLowerCase());
  }
  return names;
}

// Flags that end in one of these name a place or a kind of secret, not the secret itself
// (--password-file, --token-path, --auth-type); keeping their values keeps the command readable.
const NOT_A_VALUE =
  /[-_.](file|path|dir|fd|env|var|name|type|method|mode|url|uri|endpoint|host|port|user|username|length|len|ttl|timeout|expiry|expires|id)$/;

const SECRET_NAME = [
  /(password|passwd|passphrase)$/,
  /(^|[-_.])pass$/,
  /(^|[-_.])pwd$/,
  /secret/,
  /token$/,
  /(^|[-_.])key$/,
  /apikey$/,
  /^auth/,
  /(^|[-_.])auth$/,
  /bearer$/,
  /credentials?$/,
];

export function isSecretName(name: string): boolean {
  const n = name.toLowerCase();
  if (/^author(?!i[sz]ation)/.test(n) || NOT_A_VALUE.test(n)) return false;
  return SECRET_NAME.some((re) => re.test(n));
}

/** --no-auth, --enable-token-auth: switches whose next word is not their value. */
function isBooleanLike(name: string): boolean {
  return /^(no|disable|enable|skip|without|with|allow|require|ignore|use|show|print|generate)[-_]/i.test(name);
}
