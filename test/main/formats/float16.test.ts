// Half-precision conversion against known binary16 bit patterns (as NumPy's astype(float16) produces them).
import { describe, expect, it } from 'vitest';
import { decodeFloat16, encodeFloat16, float16BitsToFloat32, float32ToFloat16Bits } from '../../../main/formats/float16';

describe('float16 conversion', () => {
  it('encodes to the nearest binary16, ties to even', () => {
    const cases: [number, number][] = [
      [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [0.1, 0x2e66], [1 / 3, 0x3555],
      [65504, 0x7bff], [65520, 0x7c00], [1e6, 0x7c00], [-Infinity, 0xfc00],
      [2 ** -24, 0x0001], [2 ** -25, 0x0000], [3 * 2 ** -26, 0x0001], [2 ** -14, 0x0400],
      [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [2049, 0x6800], [2051, 0x6802],
    ];
    for (const [value, bits] of cases) expect(float32ToFloat16Bits(value), String(value)).toBe(bits);
    expect(float32ToFloat16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(float32ToFloat16Bits(NaN) & 0x3ff).not.toBe(0);
  });

  it('decodes every finite pattern back to the value it encodes', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00) continue;
      expect(float32ToFloat16Bits(float16BitsToFloat32(bits))).toBe(bits);
    }
    expect(float16BitsToFloat32(0x7c00)).toBe(Infinity);
    expect(float16BitsToFloat32(0x7e00)).toBeNaN();
    expect(float16BitsToFloat32(0x0001)).toBe(2 ** -24);
  });

  it('converts arrays and checks their lengths', () => {
    const half = new Uint16Array(3);
    encodeFloat16(Float32Array.from([1, -2, 0.5]), half);
    expect(Array.from(half)).toEqual([0x3c00, 0xc000, 0x3800]);
    const back = new Float32Array(3);
    decodeFloat16(half, back);
    expect(Array.from(back)).toEqual([1, -2, 0.5]);
    expect(() => encodeFloat16(new Float32Array(2), half)).toThrow(/expected target length 2, got 3/);
  });
});
