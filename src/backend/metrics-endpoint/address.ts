// What `--metrics-listen` / `vitals.metrics.listen` may say: `PORT` (loopback), `HOST:PORT`, or
// `[IPv6]:PORT`. Loopback unless the user names another address: the endpoint tells anyone who can
// reach it what runs on this machine.
// Pure (no node:net): config.ts validates the setting with it, and the webview type-checks config.ts.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIPv6(h: string): boolean {
  if (!h.includes(':')) return false;
  try {
    // The WHATWG URL parser validates IPv6 literals exactly as the resolver will take them.
    new URL(`http://[${h}]/`);
    return true;
  } catch {
    return false;
  }
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** A listen address or token file the user gave that cannot be used; the message says why. */
export class MetricsConfigError extends Error {
  override name = 'MetricsConfigError';
}

export function parseListenAddress(text: string): ListenAddress {
  const t = text.trim();
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(t) ?? /^()()(\d{1,5})$/.exec(t);
  const why = `"${text}" is not a listen address; expected HOST:PORT such as 127.0.0.1:9464, [::1]:9464, or a port alone for loopback`;
  if (!m) throw new MetricsConfigError(why);
  const host = m[1] || m[2] || '127.0.0.1';
  const port = Number(m[3]);
  if (port > 65535) throw new MetricsConfigError(`${why} (the port must be 0-65535)`);
  if (m[1] !== undefined && m[1] !== '' && !isIPv6(m[1])) throw new MetricsConfigError(why);
  if (m[2] && !IPV4.test(m[2]) && !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(m[2]))
    throw new MetricsConfigError(why);
  return { host, port };
}

export function formatListenAddress(a: ListenAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
