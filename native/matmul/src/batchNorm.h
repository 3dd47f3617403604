// Batch normalization in training over the rows of x [rows, channels] (PyTorch's BatchNorm1d on one sequence [T, C]
// with the frames' own statistics, variance biased), optionally followed by ReLU, and its gradient:
//   forward   y = act(x̂·γ + β),  x̂ = (x − μ)·r,  μ = mean_rows(x),  r = 1/√(var_rows(x) + ε)
//   backward  g = dy ⊙ [y > 0] (ReLU) or dy;  dβ = Σ_rows g;  dγ = Σ_rows g·x̂;  dx = r·γ·(g − dβ/N − x̂·dγ/N)
// The statistics are summed in double, channel by channel in row order, so the result does not depend on threads.
#pragma once

#include <cstdint>

namespace evgap {

/** x, y [rows, channels]; gamma, beta [channels]; stats [3, channels] receives μ, r and the biased variance. */
void batchNormForward(const float* x, const float* gamma, const float* beta, float epsilon, bool relu, std::int64_t rows,
                      std::int64_t channels, float* y, float* stats);

/** dy, x, y, dx [rows, channels]; gamma [channels]; stats from the forward; dGamma, dBeta [channels]. */
void batchNormBackward(const float* dy, const float* x, const float* y, const float* gamma, const float* stats, bool relu,
                       std::int64_t rows, std::int64_t channels, float* dx, float* dGamma, float* dBeta);

}  // namespace evgap
