// IEEE 754 half precision (binary16) <-> float32 conversion for .npy '<f2' files: encoding rounds to nearest,
// ties to even (as NumPy's astype(float16) does), with subnormals, infinities and NaN; decoding is a table lookup.

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** The binary16 bit pattern nearest to `value`. */
export function float32ToFloat16Bits(value: number): number {
  scratch[0] = value;
  const bits = scratchBits[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 31) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half += 1;
    return sign | half;
  }
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half += 1;
  return sign | half;
}

function decodeFloat16Bits(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >>> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

let decodeTable: Float32Array | undefined;

/** float32 value of every binary16 bit pattern, built on first use (256 KiB). */
export function float16Table(): Float32Array {
  if (!decodeTable) {
    decodeTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) decodeTable[h] = decodeFloat16Bits(h);
  }
  return decodeTable;
}

export function float16BitsToFloat32(half: number): number {
  return float16Table()[half & 0xffff]!;
}

/** Encodes `source` into `target` (same length). */
export function encodeFloat16(source: Float32Array, target: Uint16Array): void {
  if (target.length !== source.length) {
    throw new RangeError(`encodeFloat16: expected target length ${source.length}, got ${target.length}`);
  }
  for (let i = 0; i < source.length; i++) target[i] = float32ToFloat16Bits(source[i]!);
}

/** Decodes `source` into `target` (same length). */
export function decodeFloat16(source: Uint16Array, target: Float32Array): void {
  if (target.length !== source.length) {
    throw new RangeError(`decodeFloat16: expected target length ${source.length}, got ${target.length}`);
  }
  const table = float16Table();
  for (let i = 0; i < source.length; i++) target[i] = table[source[i]!]!;
}
