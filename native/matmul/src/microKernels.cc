// Microkernels for AVX-512 (12×32: 24 zmm accumulators), AVX2+FMA (6×16: 12 ymm accumulators) and portable C++
// (4×16, left to the compiler's auto-vectorizer: SSE2 on x86-64, NEON on arm64), and the mixed-precision
// AVX512_BF16 kernel (12×32, bf16 pairs multiplied and summed into float32 lanes by vdpbf16ps). The x86 ones are compiled with
// per-function target attributes, so the rest of the addon stays baseline x86-64 and runs on any CPU; which one
// runs is chosen at run time (cpuFeatures.cc).
#include "microKernels.h"

#include <cmath>
#include <cstring>

#include "isa.h"

#if defined(__GNUC__) || defined(__clang__)
#define EVGAP_UNROLL _Pragma("GCC unroll 16")
#else
#define EVGAP_UNROLL
#endif

namespace evgap {
namespace {

constexpr int portableRows = 4;
constexpr int portableColumns = 16;

void portableKernel(std::int64_t kc, const float* a, const float* b, float* c, std::int64_t ldc, bool accumulate) {
  float tile[portableRows][portableColumns] = {};
  for (std::int64_t k = 0; k < kc; ++k) {
    const float* bRow = b + k * portableColumns;
    const float* aColumn = a + k * portableRows;
    EVGAP_UNROLL
    for (int row = 0; row < portableRows; ++row) {
      const float scale = aColumn[row];
      EVGAP_UNROLL
      for (int column = 0; column < portableColumns; ++column) tile[row][column] += scale * bRow[column];
    }
  }
  for (int row = 0; row < portableRows; ++row) {
    float* cRow = c + row * ldc;
    for (int column = 0; column < portableColumns; ++column) {
      cRow[column] = accumulate ? cRow[column] + tile[row][column] : tile[row][column];
    }
  }
}

#if defined(EVGAP_X86)
/**
 * Asks for the C tile's cache lines before the k loop, so that the loads and stores at its end do not wait on
 * memory: C of a training product is megabytes, out of cache, and each tile is touched once per kc slab.
 */
inline void prefetchTile(const float* c, std::int64_t ldc, int rows, int columns) {
  for (int row = 0; row < rows; ++row) {
    const char* line = reinterpret_cast<const char*>(c + row * ldc);
    for (int offset = 0; offset < columns * 4 + 63; offset += 64) _mm_prefetch(line + offset, _MM_HINT_T0);
  }
}

constexpr int avx2Rows = 6;
constexpr int avx2Columns = 16;

EVGAP_TARGET("avx2,fma")
void avx2Kernel(std::int64_t kc, const float* a, const float* b, float* c, std::int64_t ldc, bool accumulate) {
  prefetchTile(c, ldc, avx2Rows, avx2Columns);
  __m256 tile[avx2Rows][2];
  EVGAP_UNROLL
  for (int row = 0; row < avx2Rows; ++row) tile[row][0] = tile[row][1] = _mm256_setzero_ps();
  for (std::int64_t k = 0; k < kc; ++k) {
    const __m256 b0 = _mm256_load_ps(b);
    const __m256 b1 = _mm256_load_ps(b + 8);
    EVGAP_UNROLL
    for (int row = 0; row < avx2Rows; ++row) {
      const __m256 scale = _mm256_broadcast_ss(a + row);
      tile[row][0] = _mm256_fmadd_ps(scale, b0, tile[row][0]);
      tile[row][1] = _mm256_fmadd_ps(scale, b1, tile[row][1]);
    }
    a += avx2Rows;
    b += avx2Columns;
  }
  EVGAP_UNROLL
  for (int row = 0; row < avx2Rows; ++row) {
    float* cRow = c + row * ldc;
    if (accumulate) {
      tile[row][0] = _mm256_add_ps(tile[row][0], _mm256_loadu_ps(cRow));
      tile[row][1] = _mm256_add_ps(tile[row][1], _mm256_loadu_ps(cRow + 8));
    }
    _mm256_storeu_ps(cRow, tile[row][0]);
    _mm256_storeu_ps(cRow + 8, tile[row][1]);
  }
}

constexpr int avx512Rows = 12;
constexpr int avx512Columns = 32;

EVGAP_TARGET("avx512f")
void avx512Kernel(std::int64_t kc, const float* a, const float* b, float* c, std::int64_t ldc, bool accumulate) {
  prefetchTile(c, ldc, avx512Rows, avx512Columns);
  __m512 tile[avx512Rows][2];
  EVGAP_UNROLL
  for (int row = 0; row < avx512Rows; ++row) tile[row][0] = tile[row][1] = _mm512_setzero_ps();
  for (std::int64_t k = 0; k < kc; ++k) {
    const __m512 b0 = _mm512_load_ps(b);
    const __m512 b1 = _mm512_load_ps(b + 16);
    EVGAP_UNROLL
    for (int row = 0; row < avx512Rows; ++row) {
      const __m512 scale = _mm512_set1_ps(a[row]);
      tile[row][0] = _mm512_fmadd_ps(scale, b0, tile[row][0]);
      tile[row][1] = _mm512_fmadd_ps(scale, b1, tile[row][1]);
    }
    a += avx512Rows;
    b += avx512Columns;
  }
  EVGAP_UNROLL
  for (int row = 0; row < avx512Rows; ++row) {
    float* cRow = c + row * ldc;
    if (accumulate) {
      tile[row][0] = _mm512_add_ps(tile[row][0], _mm512_loadu_ps(cRow));
      tile[row][1] = _mm512_add_ps(tile[row][1], _mm512_loadu_ps(cRow + 16));
    }
    _mm512_storeu_ps(cRow, tile[row][0]);
    _mm512_storeu_ps(cRow + 16, tile[row][1]);
  }
}
#endif

#if defined(EVGAP_BF16)
EVGAP_TARGET("avx512f,avx512bf16")
void avx512Bf16Kernel(std::int64_t pairs, const std::uint16_t* a, const std::uint16_t* b, float* c, std::int64_t ldc,
                      bool accumulate) {
  prefetchTile(c, ldc, avx512Rows, avx512Columns);
  __m512 tile[avx512Rows][2];
  EVGAP_UNROLL
  for (int row = 0; row < avx512Rows; ++row) tile[row][0] = tile[row][1] = _mm512_setzero_ps();
  for (std::int64_t q = 0; q < pairs; ++q) {
    const __m512bh b0 = (__m512bh)_mm512_load_si512(b);
    const __m512bh b1 = (__m512bh)_mm512_load_si512(b + 32);
    EVGAP_UNROLL
    for (int row = 0; row < avx512Rows; ++row) {
      std::int32_t pair;
      std::memcpy(&pair, a + 2 * row, sizeof pair);
      const __m512bh scale = (__m512bh)_mm512_set1_epi32(pair);
      tile[row][0] = _mm512_dpbf16_ps(tile[row][0], scale, b0);
      tile[row][1] = _mm512_dpbf16_ps(tile[row][1], scale, b1);
    }
    a += 2 * avx512Rows;
    b += 2 * avx512Columns;
  }
  EVGAP_UNROLL
  for (int row = 0; row < avx512Rows; ++row) {
    float* cRow = c + row * ldc;
    if (accumulate) {
      tile[row][0] = _mm512_add_ps(tile[row][0], _mm512_loadu_ps(cRow));
      tile[row][1] = _mm512_add_ps(tile[row][1], _mm512_loadu_ps(cRow + 16));
    }
    _mm512_storeu_ps(cRow, tile[row][0]);
    _mm512_storeu_ps(cRow + 16, tile[row][1]);
  }
}
#endif

}  // namespace

MicroKernel microKernelFor(InstructionSet set) {
  switch (set) {
#if defined(EVGAP_X86)
    case InstructionSet::Avx512:
      return {avx512Rows, avx512Columns, avx512Kernel};
    case InstructionSet::Avx2Fma:
      return {avx2Rows, avx2Columns, avx2Kernel};
#endif
    default:
      return {portableRows, portableColumns, portableKernel};
  }
}

Bf16MicroKernel bf16MicroKernel() {
#if defined(EVGAP_BF16)
  return {avx512Rows, avx512Columns, avx512Bf16Kernel};
#else
  return {12, 32, nullptr};
#endif
}

bool bf16KernelComputesCorrectly() {
  const Bf16MicroKernel kernel = bf16MicroKernel();
  if (kernel.run == nullptr) return false;
  constexpr int pairs = 3;
  alignas(64) std::uint16_t a[pairs * 2 * 12];
  alignas(64) std::uint16_t b[pairs * 2 * 32];
  // Small integers are exact in bf16, so the float32 sums must match exactly.
  for (int i = 0; i < pairs * 2 * 12; ++i) a[i] = static_cast<std::uint16_t>(0x3f80 + 0x80 * (i % 3));   // 1, 2, 4
  for (int i = 0; i < pairs * 2 * 32; ++i) b[i] = static_cast<std::uint16_t>(0x3f80 + 0x80 * (i % 5));  // 1 … 16
  float c[12 * 32];
  kernel.run(pairs, a, b, c, 32, false);
  for (int row = 0; row < 12; ++row) {
    for (int column = 0; column < 32; ++column) {
      float expected = 0;
      for (int q = 0; q < pairs; ++q) {
        for (int e = 0; e < 2; ++e) {
          const float left = std::ldexp(1.0f, ((q * 12 + row) * 2 + e) % 3);
          const float right = std::ldexp(1.0f, ((q * 32 + column) * 2 + e) % 5);
          expected += left * right;
        }
      }
      if (c[row * 32 + column] != expected) return false;
    }
  }
  return true;
}

}  // namespace evgap
