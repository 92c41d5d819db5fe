// IEEE 754 half floats (binary16) for frame fields where 3 significant digits are plenty (rates,
// shares): half the bytes of an f32. Node 20's DataView has no getFloat16 yet. NaN round-trips.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function toF16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0); // Inf, NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // too large: Inf
  if (e <= 0) {
    // Subnormal or zero.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    if ((mant >>> (shift - 1)) & 1) half++; // round half up
    return sign | half;
  }
  let half = sign | (e << 10) | (mant >>> 13);
  if (mant & 0x1000) half++; // round half up (a carry into the exponent is still correct)
  return half;
}

export function fromF16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant !== 0 ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function setF16(v: DataView, offset: number, value: number): void {
  v.setUint16(offset, toF16Bits(value), true);
}

export function f16At(v: DataView, offset: number): number {
  return fromF16Bits(v.getUint16(offset, true));
}
