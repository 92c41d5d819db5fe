// Parses /proc/<pid>/stat straight from the bytes read, without decoding the line into a string: this
// runs for every process at every sample.

export interface StatFields {
  /** Offsets of comm inside the buffer, without its parentheses. */
  commStart: number;
  commEnd: number;
  /** One-letter state as a char code. */
  state: number;
  ppid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  /** cutime + cstime: CPU of children that exited and were waited for, in clock ticks. */
  childTicks: number;
  threads: number;
  /** Start time in clock ticks since boot. */
  startTicks: number;
  rssPages: number;
}

export function newStatFields(): StatFields {
  return { commStart: 0, commEnd: 0, state: 0, ppid: 0, cpuTicks: 0, childTicks: 0, threads: 0, startTicks: 0, rssPages: 0 };
}

const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const SPACE = 0x20;
const MINUS = 0x2d;

/**
 * Fills `out` from `buf[0..len)`; false when the line is not a complete stat line (e.g. an empty read
 * from a process that just exited). comm may hold spaces and parentheses, so it runs from the first '('
 * to the LAST ')'; every field after it is numeric.
 */
export function parseStat(buf: Buffer, len: number, out: StatFields): boolean {
  const open = buf.indexOf(OPEN_PAREN);
  if (open < 0 || open >= len) return false;
  let close = len - 1;
  while (close > open && buf[close] !== CLOSE_PAREN) close--;
  if (close <= open) return false;
  out.commStart = open + 1;
  out.commEnd = close;

  let i = close + 2; // ") "
  if (i >= len) return false;
  out.state = buf[i]!;
  i += 2;
  let utime = 0;
  let cutime = 0;
  // Fields are numbered as in proc(5): 3 is the state, 4 ppid ... 24 rss.
  for (let field = 4; field <= 24; field++) {
    if (i >= len) return false;
    let neg = false;
    if (buf[i] === MINUS) {
      neg = true;
      i++;
    }
    let v = 0;
    let c = buf[i]!;
    while (i < len && c !== SPACE && c !== 0x0a) {
      v = v * 10 + (c - 0x30);
      c = buf[++i]!;
    }
    i++;
    if (neg) v = -v;
    switch (field) {
      case 4:
        out.ppid = v;
        break;
      case 14:
        utime = v;
        break;
      case 15:
        out.cpuTicks = utime + v;
        break;
      case 16:
        cutime = v;
        break;
      case 17:
        out.childTicks = cutime + v;
        break;
      case 20:
        out.threads = v;
        break;
      case 22:
        out.startTicks = v;
        break;
      case 24:
        out.rssPages = v;
        return true;
    }
  }
  return false;
}
