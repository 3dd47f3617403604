// Sliver packing: see packing.h. Two source layouts: lines whose elements run along the depth (row-major A,
// transposed B) are transposed into the sliver (16 × 16 blocks in AVX-512 registers where the CPU has them, else
// short contiguous pieces scattered across the sliver); lines that run across the sliver (row-major B, transposed
// A) are copied a depth step at a time. bf16 slivers are packed with AVX-512 and AVX512_BF16's conversions
// (vcvtne2ps2bf16, bit for bit as toBf16, test/native/bf16PackingCheck.cc), which every CPU that runs the bf16
// kernel has: the scalar bf16 packers, the reference, took a third as long as the bf16 products themselves in
// pre-training (perf, paper preset step 1), and rounding in integer AVX-512 still a fifth of a weight gradient's.
#include "packing.h"

#include <algorithm>

#include "cpuFeatures.h"
#include "isa.h"
#include "transpose16.h"

namespace evgap {
namespace {

#if defined(EVGAP_X86)
/**
 * packDepthContiguous for the AVX-512 kernel's widths (12 rows of A, 32 columns of B): blocks of 16 lines × 16
 * depth steps are loaded, transposed in registers and stored a depth step at a time, instead of one float at a time.
 */
EVGAP_TARGET("avx512f")
void packDepthContiguousAvx512(const float* source, std::int64_t lineStride, std::int64_t depth, std::int64_t valid, int width,
                               float* out) {
  for (int group = 0; group < width; group += 16) {
    const int lines = std::min(16, width - group);  // 12 or 16
    const __mmask16 storeMask = static_cast<__mmask16>((1u << lines) - 1);
    for (std::int64_t p0 = 0; p0 < depth; p0 += 16) {
      const int steps = static_cast<int>(std::min<std::int64_t>(16, depth - p0));
      const __mmask16 loadMask = static_cast<__mmask16>((1u << steps) - 1);
      __m512 r[16];
      for (int i = 0; i < 16; ++i) {
        const std::int64_t line = group + i;
        r[i] = i < lines && line < valid ? _mm512_maskz_loadu_ps(loadMask, source + line * lineStride + p0) : _mm512_setzero_ps();
      }
      transpose16(r);
      for (int q = 0; q < steps; ++q) _mm512_mask_storeu_ps(out + (p0 + q) * width + group, storeMask, r[q]);
    }
  }
}

#if defined(EVGAP_BF16)
/**
 * How far ahead the bf16 packers ask for their source lines, in their own steps: a pair of rows of a
 * width-contiguous operand, 16 pairs (32 floats) of each line of a depth-contiguous one. Their reads are short runs (a packing task's 192
 * floats of a row, then the next row pair 2 rows down; or 128 bytes of each of 12–16 lines in turn) that the
 * hardware prefetchers pick up late, and the operands they read last were written long before (activations saved
 * by the forward pass, weights by the last step's update): from memory, asking two steps ahead took the
 * width-contiguous packer from 0.41 to 0.26 ms per [512, 2048] slab (standalone, best of 8 alternating runs; one
 * or three steps ahead did less), the depth-contiguous one 0.41 → 0.34 ms.
 */
constexpr std::int64_t prefetchSteps = 2;

/** A hint to bring the cache line holding `address` into L1 (never faults, whatever the address). */
inline void prefetch(const float* address) { _mm_prefetch(reinterpret_cast<const char*>(address), _MM_HINT_T0); }

/** 32 consecutive floats (`count` of them read, the rest 0) → 16 words bf16(f[2q]) | bf16(f[2q+1]) << 16: in memory,
 *  32 bf16 values in a row are exactly the pair words. vcvtne2ps2bf16 rounds as toBf16 does. */
EVGAP_TARGET("avx512f,avx512bf16")
inline __m512i pairWords(const float* values, int count) {
  const __mmask16 low = static_cast<__mmask16>(count >= 16 ? 0xffffu : (1u << count) - 1);
  const __mmask16 high = static_cast<__mmask16>(count >= 32 ? 0xffffu : count <= 16 ? 0u : (1u << (count - 16)) - 1);
  return (__m512i)_mm512_cvtne2ps_pbh(_mm512_maskz_loadu_ps(high, values + 16), _mm512_maskz_loadu_ps(low, values));
}

/** 16 words bf16(even[c]) | bf16(odd[c]) << 16 of 16 even-step and 16 odd-step floats. */
EVGAP_TARGET("avx512f,avx512bf16")
inline __m512i interleavedWords(__m512 even, __m512 odd) {
  const __m512i e = _mm512_cvtepu16_epi32((__m256i)_mm512_cvtneps_pbh(even));
  const __m512i o = _mm512_cvtepu16_epi32((__m256i)_mm512_cvtneps_pbh(odd));
  return _mm512_or_si512(e, _mm512_slli_epi32(o, 16));
}

/**
 * packDepthContiguousBf16 with AVX-512: each line's next 32 depth steps become 16 pair words, and blocks of 16 lines
 * × 16 pair words are transposed in registers (the words move as 32-bit lanes, bits unchanged) into the sliver.
 */
EVGAP_TARGET("avx512f,avx512bf16")
void packDepthContiguousBf16Avx512(const float* source, std::int64_t lineStride, std::int64_t depth, std::int64_t valid,
                                   int width, std::uint16_t* out) {
  const std::int64_t pairs = (depth + 1) / 2;
  float* words = reinterpret_cast<float*>(out);  // a sliver of pairs·width 32-bit words
  for (int group = 0; group < width; group += 16) {
    const int lines = std::min(16, width - group);
    const __mmask16 storeMask = static_cast<__mmask16>((1u << lines) - 1);
    for (std::int64_t q0 = 0; q0 < pairs; q0 += 16) {
      const int steps = static_cast<int>(std::min<std::int64_t>(16, pairs - q0));
      const int floats = static_cast<int>(std::min<std::int64_t>(32, depth - 2 * q0));
      __m512 r[16];
      for (int i = 0; i < 16; ++i) {
        const std::int64_t line = group + i;
        if (i < lines && line < valid) {
          const float* next = source + line * lineStride + 2 * (q0 + 16 * prefetchSteps);
          prefetch(next);
          prefetch(next + 16);
        }
        r[i] = i < lines && line < valid ? _mm512_castsi512_ps(pairWords(source + line * lineStride + 2 * q0, floats)) : _mm512_setzero_ps();
      }
      transpose16(r);
      for (int q = 0; q < steps; ++q) _mm512_mask_storeu_ps(words + (q0 + q) * width + group, storeMask, r[q]);
    }
  }
}

/**
 * packWidthContiguousBf16 of all ⌈extent/width⌉ slivers with AVX-512, pair of depth rows by pair: each row pair is
 * read once across every sliver (whole cache lines, a page or two per row) and its 16-column pair words are written
 * to each sliver in turn. Packing sliver by sliver read `width` floats from each of 2·depth rows a row stride apart
 * (a fresh cache line and page for every few floats): a fifth of a weight gradient's time (Xᵀ·dY) went there.
 */
EVGAP_TARGET("avx512f,avx512bf16")
void packWidthContiguousBf16Avx512(const float* source, std::int64_t rowStride, std::int64_t depth, std::int64_t extent,
                                   int width, std::uint16_t* out) {
  const std::int64_t pairs = (depth + 1) / 2;
  const std::int64_t slivers = (extent + width - 1) / width;
  std::uint32_t* words = reinterpret_cast<std::uint32_t*>(out);  // slivers of pairs·width 32-bit words
  for (std::int64_t q = 0; q < pairs; ++q) {
    const float* even = source + 2 * q * rowStride;
    const float* odd = 2 * q + 1 < depth ? even + rowStride : nullptr;
    for (std::int64_t sliver = 0; sliver < slivers; ++sliver) {
      const std::int64_t first = sliver * width;
      std::uint32_t* target = words + (sliver * pairs + q) * width;
      for (int c = 0; c < width; c += 16) {
        const int stored = std::min(16, width - c);
        const std::int64_t inside = std::max<std::int64_t>(0, std::min<std::int64_t>(stored, extent - first - c));
        const __mmask16 loadMask = static_cast<__mmask16>(inside >= 16 ? 0xffffu : (1u << inside) - 1);
        if (2 * q + 2 * prefetchSteps + 1 < depth) {
          prefetch(even + 2 * prefetchSteps * rowStride + first + c);
          prefetch(even + (2 * prefetchSteps + 1) * rowStride + first + c);
        }
        const __m512 e = _mm512_maskz_loadu_ps(loadMask, even + first + c);
        const __m512 o = odd == nullptr ? _mm512_setzero_ps() : _mm512_maskz_loadu_ps(loadMask, odd + first + c);
        _mm512_mask_storeu_epi32(target + c, static_cast<__mmask16>((1u << stored) - 1), interleavedWords(e, o));
      }
    }
  }
}
#endif  // EVGAP_BF16
#endif  // EVGAP_X86

/** out[p·width + c] = source[c·lineStride + p] for c < valid, 0 for valid ≤ c < width. */
void packDepthContiguous(const float* source, std::int64_t lineStride, std::int64_t depth, std::int64_t valid, int width,
                         float* out) {
  // Eight depth steps at a time: each source line is read in 32-byte pieces while the writes stay within a few
  // cache lines of the sliver.
  constexpr std::int64_t step = 8;
  std::int64_t p0 = 0;
  for (; p0 + step <= depth; p0 += step) {
    for (std::int64_t c = 0; c < valid; ++c) {
      const float* line = source + c * lineStride + p0;
      float* target = out + p0 * width + c;
      for (std::int64_t i = 0; i < step; ++i) target[i * width] = line[i];
    }
  }
  for (; p0 < depth; ++p0) {
    for (std::int64_t c = 0; c < valid; ++c) out[p0 * width + c] = source[c * lineStride + p0];
  }
  for (std::int64_t c = valid; c < width; ++c) {
    for (std::int64_t p = 0; p < depth; ++p) out[p * width + c] = 0;
  }
}

/** out[p·width + c] = source[p·rowStride + c], zero-padded. */
void packWidthContiguous(const float* source, std::int64_t rowStride, std::int64_t depth, std::int64_t valid, int width,
                         float* out) {
  for (std::int64_t p = 0; p < depth; ++p) {
    const float* row = source + p * rowStride;
    float* target = out + p * width;
    if (valid == width) {
      for (int c = 0; c < width; ++c) target[c] = row[c];
    } else {
      for (std::int64_t c = 0; c < width; ++c) target[c] = c < valid ? row[c] : 0.0f;
    }
  }
}

/** bf16 pairs of lines along the depth: out[(q·width + c)·2 + e] = bf16(source[c·lineStride + 2q + e]). */
void packDepthContiguousBf16(const float* source, std::int64_t lineStride, std::int64_t depth, std::int64_t valid,
                             int width, std::uint16_t* out) {
  const std::int64_t pairs = (depth + 1) / 2;
  for (std::int64_t c = 0; c < valid; ++c) {
    const float* line = source + c * lineStride;
    std::uint16_t* target = out + 2 * c;
    std::int64_t q = 0;
    for (; 2 * q + 1 < depth; ++q) {
      target[q * 2 * width] = toBf16(line[2 * q]);
      target[q * 2 * width + 1] = toBf16(line[2 * q + 1]);
    }
    if (q < pairs) {
      target[q * 2 * width] = toBf16(line[2 * q]);
      target[q * 2 * width + 1] = 0;
    }
  }
  for (std::int64_t q = 0; q < pairs; ++q) {
    std::fill(out + (q * width + valid) * 2, out + (q + 1) * width * 2, std::uint16_t{0});
  }
}

/** bf16 pairs of rows across the sliver: out[(q·width + c)·2 + e] = bf16(source[(2q + e)·rowStride + c]). */
void packWidthContiguousBf16(const float* source, std::int64_t rowStride, std::int64_t depth, std::int64_t valid,
                             int width, std::uint16_t* out) {
  const std::int64_t pairs = (depth + 1) / 2;
  for (std::int64_t q = 0; q < pairs; ++q) {
    const float* even = source + 2 * q * rowStride;
    const float* odd = 2 * q + 1 < depth ? even + rowStride : nullptr;
    std::uint16_t* target = out + q * 2 * width;
    for (std::int64_t c = 0; c < valid; ++c) {
      target[2 * c] = toBf16(even[c]);
      target[2 * c + 1] = odd == nullptr ? 0 : toBf16(odd[c]);
    }
    std::fill(target + 2 * valid, target + 2 * width, std::uint16_t{0});
  }
}

}  // namespace

void packSlivers(const float* source, std::int64_t lineStride, std::int64_t depthStride, std::int64_t extent,
                 std::int64_t depth, int width, float* out) {
  for (std::int64_t first = 0; first < extent; first += width) {
    const std::int64_t valid = std::min<std::int64_t>(width, extent - first);
    const float* lines = source + first * lineStride;
    if (depthStride == 1) {
#if defined(EVGAP_X86)
      if ((width == 12 || width == 32) && isSupported(InstructionSet::Avx512)) {
        packDepthContiguousAvx512(lines, lineStride, depth, valid, width, out);
        out += depth * width;
        continue;
      }
#endif
      packDepthContiguous(lines, lineStride, depth, valid, width, out);
    } else if (lineStride == 1) {
      packWidthContiguous(lines, depthStride, depth, valid, width, out);
    } else {
      for (std::int64_t p = 0; p < depth; ++p) {
        for (std::int64_t c = 0; c < width; ++c) out[p * width + c] = c < valid ? lines[c * lineStride + p * depthStride] : 0.0f;
      }
    }
    out += depth * width;
  }
}

void packSliversBf16(const float* source, std::int64_t lineStride, std::int64_t depthStride, std::int64_t extent,
                     std::int64_t depth, int width, std::uint16_t* out) {
  const std::int64_t paddedDepth = (depth + 1) / 2 * 2;
#if defined(EVGAP_BF16)
  if (depthStride != 1 && lineStride == 1) {
    packWidthContiguousBf16Avx512(source, depthStride, depth, extent, width, out);
    return;
  }
#endif
  for (std::int64_t first = 0; first < extent; first += width) {
    const std::int64_t valid = std::min<std::int64_t>(width, extent - first);
    const float* lines = source + first * lineStride;
    if (depthStride == 1) {
#if defined(EVGAP_BF16)
      packDepthContiguousBf16Avx512(lines, lineStride, depth, valid, width, out);
#else
      packDepthContiguousBf16(lines, lineStride, depth, valid, width, out);
#endif
    } else if (lineStride == 1) {
      packWidthContiguousBf16(lines, depthStride, depth, valid, width, out);
    } else {
      for (std::int64_t p = 0; p < paddedDepth; ++p) {
        for (std::int64_t c = 0; c < width; ++c) {
          const bool inside = c < valid && p < depth;
          out[((p / 2) * width + c) * 2 + p % 2] = inside ? toBf16(lines[c * lineStride + p * depthStride]) : std::uint16_t{0};
        }
      }
    }
    out += paddedDepth * width;
  }
}

}  // namespace evgap
