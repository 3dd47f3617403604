// Packing of matrix-product operands into the slivers the microkernels read (microKernels.h): `extent` lines (rows
// of A or columns of B) by `depth` steps of the inner dimension, `width` lines per sliver, zero-padded past the
// last line. fp32 slivers hold out[p·width + c]; bf16 slivers hold pairs of depth steps side by side,
// out[(q·width + c)·2 + e] = bf16(element(c, 2q + e)), zero-padded past an odd depth, so that one 32-bit word is
// what vdpbf16ps multiplies per lane. bf16 values are rounded to nearest, ties to even.
#pragma once

#include <cstdint>
#include <cstring>

namespace evgap {

/**
 * float → bf16 as AVX512_BF16's vcvtneps2bf16 converts (and so PyTorch's bf16 on such CPUs): round to nearest
 * even; NaN stays a (quiet) NaN; a denormal becomes zero of its sign (bf16 keeps float32's exponent range, so only
 * values below 1.2e-38 in magnitude are affected).
 */
inline std::uint16_t toBf16(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((bits >> 16) | 0x40u);
  if ((bits & 0x7f800000u) == 0) return static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<std::uint16_t>(bits >> 16);
}

/** bf16 → float (exact). */
inline float fromBf16(std::uint16_t value) {
  const std::uint32_t bits = static_cast<std::uint32_t>(value) << 16;
  float result;
  std::memcpy(&result, &bits, sizeof result);
  return result;
}

/**
 * Element (line c, depth p) is at source[c·lineStride + p·depthStride]. Writes ⌈extent/width⌉ slivers of
 * depth·width floats one after the other.
 */
void packSlivers(const float* source, std::int64_t lineStride, std::int64_t depthStride, std::int64_t extent,
                 std::int64_t depth, int width, float* out);

/**
 * As packSlivers, into bf16 pair slivers of ⌈depth/2⌉·2·width values each. Where the compiler can emit AVX512_BF16
 * (EVGAP_BF16) this uses its instructions: call it only where the bf16 kernel runs (sgemm.h's bf16Status).
 */
void packSliversBf16(const float* source, std::int64_t lineStride, std::int64_t depthStride, std::int64_t extent,
                     std::int64_t depth, int width, std::uint16_t* out);

}  // namespace evgap
