// Multi-head scaled dot-product self-attention (Vaswani et al. 2017, softmax(q·kᵀ/√d)·v per head) on the stacked
// q/k/v projection of PyTorch's nn.MultiheadAttention, and its gradient, one (sequence, head) pair per task:
//   forward   P = softmax(s·Q·Kᵀ) row-wise, O = P·V,  s = 1/√(D/H)
//   backward  dV = Pᵀ·dO,  dP = dO·Vᵀ,  dS = P ⊙ (dP − rowsum(P ⊙ dP)),  dQ = s·dS·K,  dK = s·dSᵀ·Q
// Layouts are those of the encoder's tensors, so no head is ever transposed out: qkv [B·S, 3D] (row b·S + i holds
// q_i | k_i | v_i, head h in columns h·D/H … of each third), the output [B·S, D] (heads side by side, the layout
// the out-projection reads) and P [B, H, S, S], kept for the backward.
#pragma once

#include <cstdint>

namespace evgap {

struct AttentionShape {
  std::int64_t batch;     // B sequences
  std::int64_t length;    // S tokens per sequence
  std::int64_t heads;     // H
  std::int64_t modelDim;  // D, divisible by H
};

void attentionForward(const float* qkv, const AttentionShape& shape, float* output, float* probabilities);

/** dOutput [B·S, D] → dQkv [B·S, 3D]. */
void attentionBackward(const float* dOutput, const float* qkv, const float* probabilities, const AttentionShape& shape,
                       float* dQkv);

}  // namespace evgap
