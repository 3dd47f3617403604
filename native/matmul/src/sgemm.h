// Batched single-precision matrix product with strided operands, the computation behind TF.js's BatchMatMul and
// _FusedMatMul: C_b = epilogue(A_b · B_b) for every batch entry b, C row-major and contiguous per batch entry.
#pragma once

#include <cstdint>

#include "cpuFeatures.h"

namespace evgap {

enum class Activation { Linear = 0, Relu = 1, Relu6 = 2, LeakyRelu = 3, Sigmoid = 4, Elu = 5, Prelu = 6 };

/** Optional per-column bias and activation applied to the product (TF.js's _FusedMatMul). */
struct Epilogue {
  const float* bias = nullptr;       // null: none
  std::int64_t biasLength = 0;       // 1 (scalar) or n (one per output column)
  Activation activation = Activation::Linear;
  float alpha = 0;                   // leakyrelu slope
  const float* preluWeights = nullptr;
  std::int64_t preluLength = 0;      // 1 or n
};

struct BatchedProduct {
  std::int64_t m = 0, n = 0, k = 0;  // C is m×n, the inner dimension is k
  std::int64_t batch = 0;
  const float* a = nullptr;          // A_b(i, p) = a[aOffsets[b] + i·aRowStride + p·aColStride]
  const std::uint32_t* aOffsets = nullptr;
  std::int64_t aRowStride = 0, aColStride = 0;
  const float* b = nullptr;          // B_b(p, j) = b[bOffsets[b] + p·bRowStride + j·bColStride]
  const std::uint32_t* bOffsets = nullptr;
  std::int64_t bRowStride = 0, bColStride = 0;
  float* c = nullptr;                // C_b(i, j) = c[b·m·n + i·n + j]
  Epilogue epilogue;
};

/** Computes the product on the process-wide thread pool with the kernel chosen by selectInstructionSet. */
void batchedProduct(const BatchedProduct& product);

/** The kernel used from now on; returns false (and changes nothing) if `set` is not supported here. */
bool selectInstructionSet(InstructionSet set);
InstructionSet selectedInstructionSet();

/** Threads of the pool (the calling thread included), from EVGAP_MATMUL_THREADS or the hardware's count. */
int poolThreads();

class ThreadPool;
/** The process-wide pool every kernel of the addon runs on. */
ThreadPool& sharedPool();

}  // namespace evgap
