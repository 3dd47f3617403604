// The register-blocked inner kernels of the SGEMM: each multiplies one packed MR-row sliver of A by one packed
// NR-column sliver of B over kc steps and writes (or adds) the full MR×NR tile of C held in vector registers.
#pragma once

#include <cstdint>

#include "cpuFeatures.h"

namespace evgap {

struct MicroKernel {
  int mr;  // rows of C per call; A slivers are packed as a[k * mr + row]
  int nr;  // columns of C per call; B slivers are packed as b[k * nr + column]
  /** c[row * ldc + column] = (accumulate ? c : 0) + Σ_k a[k·mr + row] · b[k·nr + column], for the whole tile. */
  void (*run)(std::int64_t kc, const float* a, const float* b, float* c, std::int64_t ldc, bool accumulate);
};

/** The kernel for `set`, which must be supported here (see cpuFeatures.h). */
MicroKernel microKernelFor(InstructionSet set);

/**
 * The mixed-precision kernel: bf16 operands packed in pairs of depth steps (packing.h), products accumulated in
 * float32 by AVX512_BF16's vdpbf16ps. c[row·ldc + column] = (accumulate ? c : 0) + Σ_q Σ_e a[(q·mr + row)·2 + e] ·
 * b[(q·nr + column)·2 + e] over `pairs` pairs.
 */
struct Bf16MicroKernel {
  int mr;
  int nr;
  /** Null where the compiler cannot emit AVX512_BF16 instructions. */
  void (*run)(std::int64_t pairs, const std::uint16_t* a, const std::uint16_t* b, float* c, std::int64_t ldc, bool accumulate);
};

Bf16MicroKernel bf16MicroKernel();

/**
 * Runs the bf16 kernel on a small tile and checks the result: true when this CPU executes vdpbf16ps correctly.
 * Raises SIGILL where the CPU lacks the instruction: call it only where that is caught (cpuFeatures.cc).
 */
bool bf16KernelComputesCorrectly();

}  // namespace evgap
