// Tiny shape checkers for validating messages: each returns undefined when the value fits, or
// where and why it does not ("series.cpu.total.avg[3]: expected a number or null"). Pure.

export type Check = (v: unknown, path: string) => string | undefined;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const fail = (path: string, what: string): string => `${path || 'value'}: expected ${what}`;

export const num: Check = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? undefined : fail(p, 'a finite number'));
export const int: Check = (v, p) => (typeof v === 'number' && Number.isSafeInteger(v) ? undefined : fail(p, 'an integer'));
export const str: Check = (v, p) => (typeof v === 'string' ? undefined : fail(p, 'a string'));
export const bool: Check = (v, p) => (typeof v === 'boolean' ? undefined : fail(p, 'a boolean'));
export const unknownValue: Check = () => undefined;

export const oneOf =
  (...values: readonly (string | number | boolean)[]): Check =>
  (v, p) =>
    values.includes(v as string) ? undefined : fail(p, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);

export const nullable =
  (c: Check): Check =>
  (v, p) =>
    v === null ? undefined : c(v, p);

export const optional =
  (c: Check): Check =>
  (v, p) =>
    v === undefined ? undefined : c(v, p);

/** A number, or null for "nothing recorded"; long arrays of these are checked without allocating. */
export const numOrNull: Check = (v, p) => (v === null || (typeof v === 'number' && Number.isFinite(v)) ? undefined : fail(p, 'a number or null'));

export const arrayOf =
  (c: Check, length?: number): Check =>
  (v, p) => {
    if (!Array.isArray(v)) return fail(p, 'an array');
    if (length !== undefined && v.length !== length) return fail(p, `an array of ${length} items (got ${v.length})`);
    for (let i = 0; i < v.length; i++) {
      const e = c(v[i], `${p}[${i}]`);
      if (e) return e;
    }
    return undefined;
  };

export const recordOf =
  (c: Check): Check =>
  (v, p) => {
    if (!isRecord(v)) return fail(p, 'an object');
    for (const [k, x] of Object.entries(v)) {
      const e = c(x, p ? `${p}.${k}` : k);
      if (e) return e;
    }
    return undefined;
  };

/** An object with at least these fields (extra ones are tolerated: newer backends may add some). */
export const obj =
  (fields: Record<string, Check>): Check =>
  (v, p) => {
    if (!isRecord(v)) return fail(p, 'an object');
    for (const [k, c] of Object.entries(fields)) {
      const e = c(v[k], p ? `${p}.${k}` : k);
      if (e) return e;
    }
    return undefined;
  };

export const all =
  (...checks: Check[]): Check =>
  (v, p) => {
    for (const c of checks) {
      const e = c(v, p);
      if (e) return e;
    }
    return undefined;
  };

/** What a message parser returns: the value, typed, or why it was refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
