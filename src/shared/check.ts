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

/** An integer in min..max (inclusive). */
export const intIn =
  (min: number, max: number = Number.MAX_SAFE_INTEGER): Check =>
  (v, p) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max
      ? undefined
      : fail(p, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in ${min}..${max}`);

/** A string of min..max characters. */
export const strOf =
  (min: number, max: number): Check =>
  (v, p) =>
    typeof v === 'string' && v.length >= min && v.length <= max ? undefined : fail(p, `a string of ${min}..${max} characters`);

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
export const numOrNull: Check = (v, p) =>
  v === null || (typeof v === 'number' && Number.isFinite(v)) ? undefined : fail(p, 'a number or null');

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

/** An array of min..max items, each checked by `c`. */
export const arrayOfCount =
  (c: Check, min: number, max: number): Check =>
  (v, p) => {
    if (Array.isArray(v) && (v.length < min || v.length > max)) return fail(p, `${min}..${max} items (got ${v.length})`);
    return arrayOf(c)(v, p);
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

/**
 * A discriminated union: `field` says which case applies, and that case's check runs on the whole
 * value. The case table is looked up as own properties only ("toString" is no case).
 */
export const variant =
  (field: string, cases: Record<string, Check>, what = field): Check =>
  (v, p) => {
    if (!isRecord(v)) return fail(p, 'an object');
    const tag = v[field];
    const at = p ? `${p}.${field}` : field;
    if (typeof tag !== 'string' || !Object.prototype.hasOwnProperty.call(cases, tag))
      return `${at}: unknown ${what} ${JSON.stringify(tag)}`;
    return (cases[tag] as Check)(v, p);
  };

/** `from` and `to` finite with from <= to (the time range every query takes). */
export const timeRange: Check = (v, p) =>
  obj({ from: num, to: num })(v, p) ??
  ((v as { from: number; to: number }).from <= (v as { from: number; to: number }).to ? undefined : fail(p, 'from <= to'));

/** What a message parser returns: the value, typed, or why it was refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Runs a check at a message's edge: the value, typed as what the check vouches for, or why not. */
export function parse<T>(check: Check, v: unknown, path = ''): Parsed<T> {
  const error = check(v, path);
  return error === undefined ? { ok: true, value: v as T } : { ok: false, error };
}
