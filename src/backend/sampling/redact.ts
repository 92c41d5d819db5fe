// Masks obvious secrets in a command line before it is stored or shown. The goal is a command that
// still reads like itself ("mysql -u root -p*** shop") with the values of passwords, tokens, keys and
// credentials replaced by `***`. It is a best effort over a string, not a parser: a secret passed as a
// bare positional argument cannot be recognised, which is why `privacy.commandLine` also offers 'off'.

import type { CommandLineMode } from '../types';

export const MASK = '***';

/** Command lines longer than this are cut (after masking, so a cut never hides a secret's flag). */
export const MAX_COMMAND_LENGTH = 4096;

export function redactCommandLine(cmd: string, mode: CommandLineMode): string {
  switch (mode) {
    case 'off':
      return '';
    case 'full':
      return cmd;
    case 'redacted':
      return redact(cmd);
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

// ?token=…&access_token=… — the value ends at the next parameter.
const QUERY_PARAM = /([?&])([\w.-]+)=([^&#\s"']+)/g;
const QUERY_EXTRA = new Set(['sig', 'signature', 'x-amz-signature', 'x-amz-credential', 'code_verifier']);

// --password=x, PASSWORD=x, -Djavax.net.ssl.keyStorePassword=x, GITHUB_TOKEN=x.
const ASSIGNMENT = /(^|[\s"';])(-{0,2})([A-Za-z_][\w.-]*)=("[^"]*"|'[^']*'|[^\s"']+)/g;

// --password x, --token x: the next word, unless it is another flag.
const FLAG_SPACE = /(^|[\s"'])(--?)([A-Za-z][\w.-]*)([ \t]+)(?!-)("[^"]*"|'[^']*'|[^\s"']+)/g;

// Programs where a short flag takes a password. Elsewhere `-p` is a port, `mkdir -p`, `gcc -pthread`,
// and `-u` a docker uid:gid, so those flags are masked only for these programs.
const P_PASSWORD_PROGRAMS =
  /^(mysql\w*|mariadb[\w-]*|sshpass|mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport|mongostat|mongotop)$/;
const A_PASSWORD_PROGRAMS = /^(redis-cli|keydb-cli|valkey-cli)$/;
const USER_COLON_PASSWORD_PROGRAMS = /^(curl|wget|lftp|svn)$/;

function redact(cmd: string): string {
  if (cmd === '') return cmd;
  let out = cmd.replace(URL_CREDENTIALS, (_m, head: string, pass: string) => `${head}${pass === '' ? '' : MASK}@`);
  out = out.replace(HEADER, (_m, name: string, colon: string, scheme: string | undefined) => `${name}${colon}${scheme ?? ''}${MASK}`);
  out = out.replace(QUERY_PARAM, (m, sep: string, name: string) =>
    isSecretName(name) || QUERY_EXTRA.has(name.toLowerCase()) ? `${sep}${name}=${MASK}` : m,
  );
  out = out.replace(ASSIGNMENT, (m, pre: string, dashes: string, name: string) =>
    isSecretName(name) ? `${pre}${dashes}${name}=${MASK}` : m,
  );
  const programs = programNames(out);
  const pIsPassword = programs.some((p) => P_PASSWORD_PROGRAMS.test(p));
  const aIsPassword = programs.some((p) => A_PASSWORD_PROGRAMS.test(p));
  const userColonPassword = programs.some((p) => USER_COLON_PASSWORD_PROGRAMS.test(p));
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
const NOT_A_VALUE = /[-_.](file|path|dir|fd|env|var|name|type|method|mode|url|uri|endpoint|host|port|user|username|length|len|ttl|timeout|expiry|expires|id)$/;

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
