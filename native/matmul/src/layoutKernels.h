// The memory-bound kernels that follow the matrix products around a Transformer training step on the wasm
// backend: N-d transpose (attention heads, weight transposes, their gradients), slice (q, k and v out of the
// stacked projection; and its inverse, placing a block into a larger tensor, for concatenation) and sum over a contiguous range of axes (bias gradients sum over rows, layer norms over the
// last axis). All are multi-threaded on the same pool.
#pragma once

#include <cstdint>
#include <vector>

namespace evgap {

/** out = x with its axes permuted: output axis i is input axis perm[i]; 4-byte elements, row-major. */
void transpose4(const std::uint32_t* x, std::uint32_t* out, const std::vector<std::int64_t>& shape, const std::vector<int>& perm);

/** out = x[begin : begin + size] along every axis; 4-byte elements, row-major. */
void slice4(const std::uint32_t* x, std::uint32_t* out, const std::vector<std::int64_t>& shape,
            const std::vector<std::int64_t>& begin, const std::vector<std::int64_t>& size);

/** out[begin : begin + size] = x (x has shape `size`, out has `shape`): the inverse of slice4, for concatenation. */
void place4(const std::uint32_t* x, std::uint32_t* out, const std::vector<std::int64_t>& shape,
            const std::vector<std::int64_t>& begin, const std::vector<std::int64_t>& size);

/** out[o][i] = Σ_r x[o][r][i] for x viewed as [outer, reduced, inner], float32. */
void sumMiddleAxis(const float* x, float* out, std::int64_t outer, std::int64_t reduced, std::int64_t inner);

}  // namespace evgap
