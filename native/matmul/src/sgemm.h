// Batched single-precision matrix product with strided operands, the computation behind TF.js's BatchMatMul and
// _FusedMatMul: C_b = epilogue(A_b · B_b) (or C_b + A_b · B_b) for every batch entry b, C row-major. In bf16
// precision the operands are rounded to bf16 while they are packed and the products summed in float32
// (mixed precision, where the CPU has AVX512_BF16; see bf16Status).
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

enum class Precision { Fp32 = 0, Bf16 = 1 };

struct BatchedProduct {
  std::int64_t m = 0, n = 0, k = 0;  // C is m×n, the inner dimension is k
  std::int64_t batch = 0;
  const float* a = nullptr;          // A_b(i, p) = a[aOffsets[b] + i·aRowStride + p·aColStride]
  const std::uint32_t* aOffsets = nullptr;
  std::int64_t aRowStride = 0, aColStride = 0;
  const float* b = nullptr;          // B_b(p, j) = b[bOffsets[b] + p·bRowStride + j·bColStride]
  const std::uint32_t* bOffsets = nullptr;
  std::int64_t bRowStride = 0, bColStride = 0;
  float* c = nullptr;                // C_b(i, j) = c[b·cBatchStride + i·ldc + j]
  std::int64_t ldc = 0;              // 0: n
  std::int64_t cBatchStride = 0;     // 0: m·ldc
  bool accumulate = false;           // C_b += A_b·B_b (before the epilogue) instead of C_b = A_b·B_b
  Precision precision = Precision::Fp32;
  Epilogue epilogue;
};

/** Computes the product on the process-wide thread pool with the kernel chosen by selectInstructionSet. */
void batchedProduct(const BatchedProduct& product);

/** The kernel used from now on; returns false (and changes nothing) if `set` is not supported here. */
bool selectInstructionSet(InstructionSet set);
InstructionSet selectedInstructionSet();

/** Whether the bf16 kernel runs here, and how that was established or why not. */
struct Bf16Status {
  bool enabled;
  /** 'cpuid', 'probe', or why not (e.g. "AVX512_BF16 not reported by CPUID"). */
  const char* detail;
};
Bf16Status bf16Status();

/**
 * Where CPUID does not report AVX512_BF16 (hypervisors hide it from some guests whose processor has it), runs the
 * bf16 kernel once on a known product with illegal instructions caught, and enables it if the result is right.
 */
Bf16Status probeBf16();

/** Turns the bf16 kernel off (products asked for in bf16 then run in float32), or back on if it was enabled. */
void setBf16Allowed(bool allowed);

/** Threads of the pool (the calling thread included), from EVGAP_MATMUL_THREADS or the hardware's count. */
int poolThreads();

class ThreadPool;
/** The process-wide pool every kernel of the addon runs on. */
ThreadPool& sharedPool();

}  // namespace evgap
