// Multi-head self-attention: see attention.h. Each task takes one sequence (its rows of qkv stay in L2 while its
// heads are computed), and for each head copies the q, k and v columns into contiguous S × d blocks (d = D/H) and
// runs the small products as loops over d or S contiguous floats, compiled for AVX-512 and AVX2 as well
// (EVGAP_VECTOR_CLONES). At the encoder's sizes (S = 21, D = 512) a sequence is a few million operations. Where the
// CPU has AVX-512 and S ≤ 64, each head takes headForwardAvx512 / headBackwardAvx512 instead: the same arithmetic
// read in place from qkv (no copies) with register tiles, because the loops above spent most of their time on a
// store-to-load chain (the weighted sum kept its running total in the output row) and on S² horizontal sums.
#include "attention.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "cpuFeatures.h"
#include "isa.h"
#include "sgemm.h"
#include "simd.h"
#include "threadPool.h"
#include "transpose16.h"

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


/** Each row of the S × S scores becomes its softmax (the row's largest subtracted first). */
inline void softmaxRows(float* p, std::int64_t S) {
  for (std::int64_t i = 0; i < S; ++i) {
    float* pi = p + i * S;
    float largest = -INFINITY;
    for (std::int64_t j = 0; j < S; ++j) largest = std::max(largest, pi[j]);
    float total = 0;
    EVGAP_SIMD_SUM(total)
    for (std::int64_t j = 0; j < S; ++j) {
      pi[j] = expNonPositive(pi[j] - largest);
      total += pi[j];
    }
    const float inverse = 1.0f / total;
    for (std::int64_t j = 0; j < S; ++j) pi[j] *= inverse;
  }
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
    for (std::int64_t j = 0; j < S; ++j) p[i * S + j] = dotProduct(q + i * d, k + j * d, d) * scale;
  }
  softmaxRows(p, S);
  for (std::int64_t i = 0; i < S; ++i) {
    const float* pi = p + i * S;
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

#if defined(EVGAP_X86)
/** Longest sequence the AVX-512 heads take (four blocks of 16 score columns). */
constexpr std::int64_t maxVectorLength = 64;

/** Lanes of a 16-wide block starting at `first` that lie below `extent`. */
inline __mmask16 laneMask(std::int64_t first, std::int64_t extent) {
  const std::int64_t left = extent - first;
  return left >= 16 ? static_cast<__mmask16>(0xffffu) : left <= 0 ? static_cast<__mmask16>(0) : static_cast<__mmask16>((1u << left) - 1);
}

/**
 * scores[i·S + j] = scale · (a_i · b_j) for rows a_i = a + i·aStride and b_j = b + j·bStride of d floats: b is
 * transposed into bT (d × 16·BLOCKS, zero-padded) and four rows of a at a time accumulate their scores in registers,
 * 16 columns to a register, so no dot product ends in a horizontal sum. The transpose goes 16 × 16 blocks at a time
 * in registers (one float at a time, it took as long as the products: d·16·BLOCKS scalar loads and stores).
 */
template <int BLOCKS>
EVGAP_TARGET("avx512f")
void scoresAvx512(const float* a, std::int64_t aStride, const float* b, std::int64_t bStride, std::int64_t S, std::int64_t d,
                  float scale, float* scores, float* bT) {
  constexpr std::int64_t width = 16 * BLOCKS;
  for (std::int64_t c0 = 0; c0 < d; c0 += 16) {
    const __mmask16 columnMask = laneMask(c0, d);
    const std::int64_t columns = std::min<std::int64_t>(16, d - c0);
    for (int k = 0; k < BLOCKS; ++k) {
      __m512 block[16];
      for (int i = 0; i < 16; ++i) {
        const std::int64_t j = 16 * k + i;
        block[i] = j < S ? _mm512_maskz_loadu_ps(columnMask, b + j * bStride + c0) : _mm512_setzero_ps();
      }
      transpose16(block);  // block[c] = column c0 + c of rows 16k … 16k + 15
      for (std::int64_t c = 0; c < columns; ++c) _mm512_storeu_ps(bT + (c0 + c) * width + 16 * k, block[c]);
    }
  }
  const __m512 scaling = _mm512_set1_ps(scale);
  for (std::int64_t i0 = 0; i0 < S; i0 += 4) {
    const float* rows[4];
    for (int r = 0; r < 4; ++r) rows[r] = a + std::min(i0 + r, S - 1) * aStride;  // past the last row: not stored
    __m512 acc[4][BLOCKS];
    for (int r = 0; r < 4; ++r)
      for (int k = 0; k < BLOCKS; ++k) acc[r][k] = _mm512_setzero_ps();
    for (std::int64_t c = 0; c < d; ++c) {
      __m512 columns[BLOCKS];
      for (int k = 0; k < BLOCKS; ++k) columns[k] = _mm512_loadu_ps(bT + c * width + 16 * k);
      for (int r = 0; r < 4; ++r) {
        const __m512 value = _mm512_set1_ps(rows[r][c]);
        for (int k = 0; k < BLOCKS; ++k) acc[r][k] = _mm512_fmadd_ps(value, columns[k], acc[r][k]);
      }
    }
    for (int r = 0; r < 4 && i0 + r < S; ++r) {
      for (int k = 0; k < BLOCKS; ++k) _mm512_mask_storeu_ps(scores + (i0 + r) * S + 16 * k, laneMask(16 * k, S), _mm512_mul_ps(acc[r][k], scaling));
    }
  }
}

EVGAP_TARGET("avx512f")
void scores(const float* a, std::int64_t aStride, const float* b, std::int64_t bStride, std::int64_t S, std::int64_t d,
            float scale, float* out, float* bT) {
  switch ((S + 15) / 16) {
    case 1: return scoresAvx512<1>(a, aStride, b, bStride, S, d, scale, out, bT);
    case 2: return scoresAvx512<2>(a, aStride, b, bStride, S, d, scale, out, bT);
    case 3: return scoresAvx512<3>(a, aStride, b, bStride, S, d, scale, out, bT);
    default: return scoresAvx512<4>(a, aStride, b, bStride, S, d, scale, out, bT);
  }
}

/**
 * out_i = Σ_j w(i, j) · values_j for i < rows, j < inner, with w(i, j) = weights[i·rowStep + j·columnStep], values_j =
 * values + j·valueStride and out_i = out + i·outStride (d floats each): 64 columns of two rows at a time in registers,
 * so each value vector loaded serves two rows (one row at a time, the loads outnumbered the multiply-adds).
 */
EVGAP_TARGET("avx512f")
void weightedRows(const float* weights, std::int64_t rowStep, std::int64_t columnStep, const float* values, std::int64_t valueStride,
                  std::int64_t rows, std::int64_t inner, std::int64_t d, float* out, std::int64_t outStride) {
  for (std::int64_t i = 0; i < rows; i += 2) {
    const std::int64_t second = std::min(i + 1, rows - 1);  // past the last row: computed again, stored once
    for (std::int64_t c0 = 0; c0 < d; c0 += 64) {
      const __mmask16 masks[4] = {laneMask(c0, d), laneMask(c0 + 16, d), laneMask(c0 + 32, d), laneMask(c0 + 48, d)};
      __m512 acc[2][4];
      for (int r = 0; r < 2; ++r)
        for (int k = 0; k < 4; ++k) acc[r][k] = _mm512_setzero_ps();
      for (std::int64_t j = 0; j < inner; ++j) {
        const __m512 weight0 = _mm512_set1_ps(weights[i * rowStep + j * columnStep]);
        const __m512 weight1 = _mm512_set1_ps(weights[second * rowStep + j * columnStep]);
        const float* row = values + j * valueStride + c0;
        for (int k = 0; k < 4; ++k) {
          const __m512 value = _mm512_maskz_loadu_ps(masks[k], row + 16 * k);
          acc[0][k] = _mm512_fmadd_ps(weight0, value, acc[0][k]);
          acc[1][k] = _mm512_fmadd_ps(weight1, value, acc[1][k]);
        }
      }
      for (int k = 0; k < 4; ++k) _mm512_mask_storeu_ps(out + i * outStride + c0 + 16 * k, masks[k], acc[0][k]);
      if (second != i) {
        for (int k = 0; k < 4; ++k) _mm512_mask_storeu_ps(out + second * outStride + c0 + 16 * k, masks[k], acc[1][k]);
      }
    }
  }
}

/** expNonPositive (simd.h) on 16 lanes, operation for operation (no fused multiply-adds), so the same values. */
EVGAP_TARGET("avx512f")
inline __m512 expNonPositiveAvx512(__m512 x) {
  x = _mm512_max_ps(_mm512_set1_ps(-87.0f), x);  // NaN stays NaN, as in the scalar x < −87 ? −87 : x
  const __m512i n = _mm512_cvttps_epi32(_mm512_sub_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504f)), _mm512_set1_ps(0.5f)));
  const __m512 nf = _mm512_cvtepi32_ps(n);
  const __m512 r = _mm512_add_ps(_mm512_sub_ps(x, _mm512_mul_ps(nf, _mm512_set1_ps(0.693359375f))), _mm512_mul_ps(nf, _mm512_set1_ps(2.12194440e-4f)));
  __m512 p = _mm512_set1_ps(1.0f / 5040);
  for (const float c : {1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f}) p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(c));
  const __m512 scale = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(n, _mm512_set1_epi32(127)), 23));
  return _mm512_mul_ps(p, scale);
}

/**
 * softmaxRows for S ≤ maxVectorLength with AVX-512: a row in up to four registers. The compiler left softmaxRows'
 * exponentials scalar (a third of a head's forward time); the sum of a row is added in another order here.
 */
EVGAP_TARGET("avx512f")
void softmaxRowsAvx512(float* p, std::int64_t S) {
  const int blocks = static_cast<int>((S + 15) / 16);
  for (std::int64_t i = 0; i < S; ++i) {
    float* pi = p + i * S;
    __m512 row[4];
    __mmask16 masks[4];
    __m512 largest = _mm512_set1_ps(-INFINITY);
    for (int k = 0; k < blocks; ++k) {
      masks[k] = laneMask(16 * k, S);
      row[k] = _mm512_mask_loadu_ps(_mm512_set1_ps(-INFINITY), masks[k], pi + 16 * k);
      largest = _mm512_max_ps(largest, row[k]);
    }
    const __m512 top = _mm512_set1_ps(_mm512_reduce_max_ps(largest));
    __m512 total = _mm512_setzero_ps();
    for (int k = 0; k < blocks; ++k) {
      row[k] = _mm512_maskz_mov_ps(masks[k], expNonPositiveAvx512(_mm512_sub_ps(row[k], top)));
      total = _mm512_add_ps(total, row[k]);
    }
    const __m512 inverse = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(total));
    for (int k = 0; k < blocks; ++k) _mm512_mask_storeu_ps(pi + 16 * k, masks[k], _mm512_mul_ps(row[k], inverse));
  }
}

/** headForward's arithmetic with AVX-512 (the header says why), reading q, k and v in place. */
EVGAP_TARGET("avx512f")
void headForwardAvx512(const float* qkv, const Head& h, float scale, float* output, float* p) {
  const std::int64_t S = h.S, d = h.d, D = h.D;
  const float* q = h.qkvRow(qkv, 0, 0);
  float* bT = scratch(d * maxVectorLength);
  scores(q, 3 * D, q + D, 3 * D, S, d, scale, p, bT);
  softmaxRowsAvx512(p, S);
  weightedRows(p, S, 1, q + 2 * D, 3 * D, S, S, d, output + h.outRow(0), D);
}

/** headBackward's arithmetic with AVX-512, reading qkv and dOutput in place and writing dQkv directly. */
EVGAP_TARGET("avx512f")
void headBackwardAvx512(const float* dOutput, const float* qkv, const float* p, const Head& h, float scale, float* dQkv) {
  const std::int64_t S = h.S, d = h.d, D = h.D;
  const float* q = h.qkvRow(qkv, 0, 0);
  const float* dO = dOutput + h.outRow(0);
  float* dS = scratch(S * S + d * maxVectorLength);
  // dS = P ⊙ (dP − rowsum(P ⊙ dP)), dP = dO·Vᵀ; scaled by s here so that dQ and dK are plain products.
  scores(dO, D, q + 2 * D, 3 * D, S, d, 1.0f, dS, dS + S * S);
  for (std::int64_t i = 0; i < S; ++i) {
    const float* pi = p + i * S;
    float* dSi = dS + i * S;
    float weighted = 0;
    EVGAP_SIMD_SUM(weighted)
    for (std::int64_t j = 0; j < S; ++j) weighted += pi[j] * dSi[j];
    for (std::int64_t j = 0; j < S; ++j) dSi[j] = pi[j] * (dSi[j] - weighted) * scale;
  }
  float* dQ = dQkv + (h.sequence * S) * 3 * D + h.head * d;
  weightedRows(dS, S, 1, q + D, 3 * D, S, S, d, dQ, 3 * D);          // dq_i = Σ_j dS_ij k_j
  weightedRows(dS, 1, S, q, 3 * D, S, S, d, dQ + D, 3 * D);          // dk_j = Σ_i dS_ij q_i
  weightedRows(p, 1, S, dO, D, S, S, d, dQ + 2 * D, 3 * D);          // dv_j = Σ_i p_ij dO_i
}
#endif

/** Whether heads of `S` tokens take the AVX-512 versions. */
bool vectorHeads(std::int64_t S) {
#if defined(EVGAP_X86)
  return S <= maxVectorLength && isSupported(InstructionSet::Avx512);
#else
  (void)S;
  return false;
#endif
}

}  // namespace

void attentionForward(const float* qkv, const AttentionShape& shape, float* output, float* probabilities) {
  const std::int64_t S = shape.length;
  const std::int64_t d = shape.modelDim / shape.heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  const bool vector = vectorHeads(S);
  const std::function<void(std::int64_t)> task = [&](std::int64_t sequence) {
    for (std::int64_t h = 0; h < shape.heads; ++h) {
      const Head head{S, d, shape.modelDim, sequence, h};
      float* p = probabilities + (sequence * shape.heads + h) * S * S;
#if defined(EVGAP_X86)
      if (vector) {
        headForwardAvx512(qkv, head, scale, output, p);
        continue;
      }
#endif
      headForward(qkv, head, scale, output, p);
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
  const bool vector = vectorHeads(S);
  const std::function<void(std::int64_t)> task = [&](std::int64_t sequence) {
    for (std::int64_t h = 0; h < shape.heads; ++h) {
      const Head head{S, d, shape.modelDim, sequence, h};
      const float* p = probabilities + (sequence * shape.heads + h) * S * S;
#if defined(EVGAP_X86)
      if (vector) {
        headBackwardAvx512(dOutput, qkv, p, head, scale, dQkv);
        continue;
      }
#endif
      headBackward(dOutput, qkv, p, head, scale, dQkv);
    }
  };
  const double work = static_cast<double>(shape.batch * shape.heads) * 4.0 * static_cast<double>(S * S * d);
  sharedPool().run(shape.batch, task, work >= parallelWork);
}

}  // namespace evgap
