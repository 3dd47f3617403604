// Vectorization helpers for the fused kernels' loops. EVGAP_SIMD_SUM lets the compiler vectorize a loop that
// reduces floats (a sum's order then differs from left to right): `#pragma omp simd` with -fopenmp-simd, which needs
// no OpenMP runtime. EVGAP_VECTOR_CLONES compiles a function for AVX-512, AVX2+FMA and baseline x86-64 and picks one
// at load (GCC's target_clones, through glibc's ifunc); elsewhere the baseline build alone.
#pragma once

#include <cstdint>
#if defined(__linux__)
#include <features.h>
#endif

#if defined(__x86_64__) && defined(__linux__) && defined(__GLIBC__) && !defined(__clang__) && defined(__GNUC__) && __GNUC__ >= 11
#define EVGAP_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define EVGAP_VECTOR_CLONES
#endif

#if defined(_OPENMP) || defined(EVGAP_OPENMP_SIMD)
#define EVGAP_PRAGMA(text) _Pragma(#text)
#define EVGAP_SIMD_SUM(variable) EVGAP_PRAGMA(omp simd reduction(+ : variable))
#else
#define EVGAP_SIMD_SUM(variable)
#endif

#include <cstring>

namespace evgap {

/**
 * e^x for x ≤ 0 (softmax after its maximum is subtracted), in a form the compiler vectorizes: x = n·ln2 + r with
 * |r| ≤ ln2/2 (ln2 split in two for exactness), e^r by its Taylor polynomial of degree 7, times 2^n built in the
 * exponent bits. Relative error below 2e-7 (float32 rounding is 6e-8); x below −87 counts as −87 (e^−87 ≈ 1.6e−38).
 */
inline float expNonPositive(float x) {
  x = x < -87.0f ? -87.0f : x;
  const int n = static_cast<int>(x * 1.44269504f - 0.5f);
  const float nf = static_cast<float>(n);
  const float r = (x - nf * 0.693359375f) + nf * 2.12194440e-4f;
  float p = 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const std::int32_t bits = (n + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

inline float dotProduct(const float* __restrict a, const float* __restrict b, std::int64_t n) {
  float sum = 0;
  EVGAP_SIMD_SUM(sum)
  for (std::int64_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

}  // namespace evgap
