// Multi-head self-attention: see attention.h. Each task takes one sequence (its rows of qkv stay in L2 while its
// heads are computed), and for each head copies the q, k and v columns into contiguous S × d blocks (d = D/H) and
// runs the small products as loops over d or S contiguous floats, compiled for AVX-512 and AVX2 as well
// (EVGAP_VECTOR_CLONES). At the encoder's sizes (S = 21, D = 512) a sequence is a few million operations.
#include "attention.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "sgemm.h"
#include "simd.h"
#include "threadPool.h"

namespace evgap {
namespace {

constexpr double parallelWork = 2e5;  // multiply-adds below which one thread does all heads

/** thread-local scratch of at least `floats` floats. */
float* scratch(std::int64_t floats) {
  thread_local std::vector<float> buffer;
  if (static_cast<std::int64_t>(buffer.size()) < floats) buffer.resize(static_cast<std::size_t>(floats));
  return buffer.data();
}

/** Where head `head` of sequence `sequence` sits in the [B·S, width] tensors. */
struct Head {
  std::int64_t S, d, D;
  std::int64_t sequence, head;
  /** Column block `part` (0 q, 1 k, 2 v) of row i of qkv [B·S, 3D]. */
  const float* qkvRow(const float* qkv, std::int64_t part, std::int64_t i) const {
    return qkv + (sequence * S + i) * 3 * D + part * D + head * d;
  }
  /** Row i of a [B·S, D] tensor (the output or its gradient). */
  std::int64_t outRow(std::int64_t i) const { return (sequence * S + i) * D + head * d; }
};

void gather(const float* qkv, const Head& h, std::int64_t part, float* dst) {
  for (std::int64_t i = 0; i < h.S; ++i) std::copy_n(h.qkvRow(qkv, part, i), h.d, dst + i * h.d);
}


EVGAP_VECTOR_CLONES
void headForward(const float* qkv, const Head& h, float scale, float* output, float* p) {
  const std::int64_t S = h.S;
  const std::int64_t d = h.d;
  float* q = scratch(3 * S * d);
  float* k = q + S * d;
  float* v = k + S * d;
  gather(qkv, h, 0, q);
  gather(qkv, h, 1, k);
  gather(qkv, h, 2, v);
  for (std::int64_t i = 0; i < S; ++i) {
    const float* qi = q + i * d;
    float* pi = p + i * S;
    float largest = -INFINITY;
    for (std::int64_t j = 0; j < S; ++j) {
      pi[j] = dotProduct(qi, k + j * d, d) * scale;
      largest = std::max(largest, pi[j]);
    }
    float total = 0;
    EVGAP_SIMD_SUM(total)
    for (std::int64_t j = 0; j < S; ++j) {
      pi[j] = expNonPositive(pi[j] - largest);
      total += pi[j];
    }
    const float inverse = 1.0f / total;
    for (std::int64_t j = 0; j < S; ++j) pi[j] *= inverse;
    float* __restrict out = output + h.outRow(i);
    std::fill_n(out, d, 0.0f);
    for (std::int64_t j = 0; j < S; ++j) {
      const float weight = pi[j];
      const float* __restrict vj = v + j * d;
      for (std::int64_t c = 0; c < d; ++c) out[c] += weight * vj[c];
    }
  }
}

EVGAP_VECTOR_CLONES
void headBackward(const float* dOutput, const float* qkv, const float* p, const Head& h, float scale, float* dQkv) {
  const std::int64_t S = h.S;
  const std::int64_t d = h.d;
  const std::int64_t D = h.D;
  float* q = scratch(6 * S * d + S * S);
  float* k = q + S * d;
  float* v = k + S * d;
  float* dO = v + S * d;
  float* dq = dO + S * d;
  float* dk = dq + S * d;
  float* dS = dk + S * d;
  gather(qkv, h, 0, q);
  gather(qkv, h, 1, k);
  gather(qkv, h, 2, v);
  for (std::int64_t i = 0; i < S; ++i) std::copy_n(dOutput + h.outRow(i), d, dO + i * d);
  // dS = P ⊙ (dP − rowsum(P ⊙ dP)), dP = dO·Vᵀ; scaled by s here so that dQ and dK are plain products.
  for (std::int64_t i = 0; i < S; ++i) {
    const float* pi = p + i * S;
    float* dSi = dS + i * S;
    float weighted = 0;
    for (std::int64_t j = 0; j < S; ++j) {
      dSi[j] = dotProduct(dO + i * d, v + j * d, d);
      weighted += pi[j] * dSi[j];
    }
    for (std::int64_t j = 0; j < S; ++j) dSi[j] = pi[j] * (dSi[j] - weighted) * scale;
  }
  std::fill_n(dq, 2 * S * d, 0.0f);
  for (std::int64_t i = 0; i < S; ++i) {
    const float* dSi = dS + i * S;
    float* __restrict dqi = dq + i * d;
    const float* __restrict qi = q + i * d;
    for (std::int64_t j = 0; j < S; ++j) {
      const float weight = dSi[j];
      const float* __restrict kj = k + j * d;
      float* __restrict dkj = dk + j * d;
      for (std::int64_t c = 0; c < d; ++c) dqi[c] += weight * kj[c];
      for (std::int64_t c = 0; c < d; ++c) dkj[c] += weight * qi[c];
    }
  }
  for (std::int64_t j = 0; j < S; ++j) {
    float* __restrict row = dQkv + (h.sequence * S + j) * 3 * D + h.head * d;
    float* __restrict dv = row + 2 * D;
    std::fill_n(dv, d, 0.0f);
    for (std::int64_t i = 0; i < S; ++i) {
      const float weight = p[i * S + j];
      const float* __restrict dOi = dO + i * d;
      for (std::int64_t c = 0; c < d; ++c) dv[c] += weight * dOi[c];
    }
    std::copy_n(dq + j * d, d, row);
    std::copy_n(dk + j * d, d, row + D);
  }
}

}  // namespace

void attentionForward(const float* qkv, const AttentionShape& shape, float* output, float* probabilities) {
  const std::int64_t S = shape.length;
  const std::int64_t d = shape.modelDim / shape.heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  const std::function<void(std::int64_t)> task = [&](std::int64_t sequence) {
    for (std::int64_t h = 0; h < shape.heads; ++h) {
      const Head head{S, d, shape.modelDim, sequence, h};
      headForward(qkv, head, scale, output, probabilities + (sequence * shape.heads + h) * S * S);
    }
  };
  const double work = static_cast<double>(shape.batch * shape.heads) * 2.0 * static_cast<double>(S * S * d);
  sharedPool().run(shape.batch, task, work >= parallelWork);
}

void attentionBackward(const float* dOutput, const float* qkv, const float* probabilities, const AttentionShape& shape,
                       float* dQkv) {
  const std::int64_t S = shape.length;
  const std::int64_t d = shape.modelDim / shape.heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  const std::function<void(std::int64_t)> task = [&](std::int64_t sequence) {
    for (std::int64_t h = 0; h < shape.heads; ++h) {
      const Head head{S, d, shape.modelDim, sequence, h};
      headBackward(dOutput, qkv, probabilities + (sequence * shape.heads + h) * S * S, head, scale, dQkv);
    }
  };
  const double work = static_cast<double>(shape.batch * shape.heads) * 4.0 * static_cast<double>(S * S * d);
  sharedPool().run(shape.batch, task, work >= parallelWork);
}

}  // namespace evgap
