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

}  // namespace evgap
