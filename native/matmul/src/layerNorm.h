// Layer normalization over the last axis (Ba, Kiros & Hinton 2016; PyTorch's nn.LayerNorm with its biased
// variance) and its gradient, each in one pass over the rows on the thread pool:
//   forward   y = x̂·γ + β,  x̂ = (x − μ)·r,  μ = mean(x),  r = 1/√(var(x) + ε)
//   backward  dx = r·(g − mean(g) − x̂·mean(g·x̂)),  g = dy·γ;  dγ = Σ_rows dy·x̂;  dβ = Σ_rows dy
// The forward keeps (μ, r) per row for the backward, so it never recomputes the statistics.
#pragma once

#include <cstdint>

namespace evgap {

/** x, y [rows, width]; gamma, beta [width]; stats [rows, 2] receives (μ, r) per row. */
void layerNormForward(const float* x, const float* gamma, const float* beta, float epsilon, std::int64_t rows,
                      std::int64_t width, float* y, float* stats);

/** dy, x, dx [rows, width]; gamma [width]; stats from the forward; dGamma, dBeta [width]. */
void layerNormBackward(const float* dy, const float* x, const float* gamma, const float* stats, std::int64_t rows,
                       std::int64_t width, float* dx, float* dGamma, float* dBeta);

}  // namespace evgap
