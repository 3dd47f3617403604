// The two passes around the matrix product of a same-length 1-D convolution (dilated or not) computed as
// Z = x·[W_0 | … | W_{k−1}] (one product, every tap's kernel side by side, [T, k·Cout]):
//   tapSum      y[t] = act(Σ_j Z[t + o_j, tap j] + b),  o_j = (j − (k−1)/2)·dilation, zero outside the sequence
//   tapScatter  dZ[s, tap j] = dy[s − o_j]  (its adjoint: the gradient of tapSum with respect to Z)
// Every sequence of a batch [B, T, ·] is padded on its own.
#pragma once

#include <cstdint>

namespace evgap {

struct TapLayout {
  std::int64_t batch;     // B sequences
  std::int64_t length;    // T frames each
  std::int64_t channels;  // Cout
  std::int64_t taps;      // k, odd
  std::int64_t dilation;
};

/** z [B, T, k·Cout], bias [Cout] or null → y [B, T, Cout]; relu when `relu`. */
void tapSum(const float* z, const float* bias, const TapLayout& layout, bool relu, float* y);

/** dy [B, T, Cout] → dz [B, T, k·Cout]. */
void tapScatter(const float* dy, const TapLayout& layout, float* dz);

}  // namespace evgap
