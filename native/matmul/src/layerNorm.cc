// Layer normalization: see layerNorm.h. Rows are split into chunks across the pool; the backward's column sums
// (dγ, dβ) are summed per chunk into a scratch row and the chunks' rows added at the end, in chunk order, so
// the result does not depend on which thread ran which chunk.
#include "layerNorm.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "sgemm.h"
#include "simd.h"
#include "threadPool.h"

namespace evgap {
namespace {

constexpr std::int64_t parallelElements = 1 << 15;

/** Rows per chunk: chunks of about 16K elements, at most 64 chunks. */
std::int64_t rowsPerChunk(std::int64_t rows, std::int64_t width) {
  const std::int64_t byElements = std::max<std::int64_t>(1, (1 << 14) / std::max<std::int64_t>(width, 1));
  return std::max(byElements, (rows + 63) / 64);
}

EVGAP_VECTOR_CLONES
void forwardRows(const float* __restrict x, const float* __restrict gamma, const float* __restrict beta, float epsilon,
                 std::int64_t rows, std::int64_t width, float* __restrict y, float* __restrict stats) {
  for (std::int64_t row = 0; row < rows; ++row) {
    const float* __restrict in = x + row * width;
    float* __restrict out = y + row * width;
    // Two passes in double for the statistics: a row of a few thousand floats, exactly like a float64 reference.
    double sum = 0;
    EVGAP_SIMD_SUM(sum)
    for (std::int64_t j = 0; j < width; ++j) sum += in[j];
    const double mean = sum / static_cast<double>(width);
    double squares = 0;
    EVGAP_SIMD_SUM(squares)
    for (std::int64_t j = 0; j < width; ++j) {
      const double centered = in[j] - mean;
      squares += centered * centered;
    }
    const float rstd = static_cast<float>(1.0 / std::sqrt(squares / static_cast<double>(width) + epsilon));
    const float meanF = static_cast<float>(mean);
    for (std::int64_t j = 0; j < width; ++j) out[j] = (in[j] - meanF) * rstd * gamma[j] + beta[j];
    stats[2 * row] = meanF;
    stats[2 * row + 1] = rstd;
  }
}

EVGAP_VECTOR_CLONES
void backwardRows(const float* __restrict dy, const float* __restrict x, const float* __restrict gamma, const float* __restrict stats,
                  std::int64_t rows, std::int64_t width, float* __restrict dx, float* __restrict gammaSum, float* __restrict betaSum) {
  for (std::int64_t row = 0; row < rows; ++row) {
    const float* __restrict g = dy + row * width;
    const float* __restrict in = x + row * width;
    float* __restrict out = dx + row * width;
    const float mean = stats[2 * row];
    const float rstd = stats[2 * row + 1];
    float sumG = 0;
    float sumGx = 0;
    EVGAP_SIMD_SUM(sumG)
    for (std::int64_t j = 0; j < width; ++j) sumG += g[j] * gamma[j];
    EVGAP_SIMD_SUM(sumGx)
    for (std::int64_t j = 0; j < width; ++j) sumGx += g[j] * gamma[j] * (in[j] - mean) * rstd;
    for (std::int64_t j = 0; j < width; ++j) {
      const float normalized = (in[j] - mean) * rstd;
      gammaSum[j] += g[j] * normalized;
      betaSum[j] += g[j];
    }
    const float meanG = sumG / static_cast<float>(width);
    const float meanGx = sumGx / static_cast<float>(width);
    for (std::int64_t j = 0; j < width; ++j) {
      const float normalized = (in[j] - mean) * rstd;
      out[j] = rstd * (g[j] * gamma[j] - meanG - normalized * meanGx);
    }
  }
}

}  // namespace

void layerNormForward(const float* x, const float* gamma, const float* beta, float epsilon, std::int64_t rows,
                      std::int64_t width, float* y, float* stats) {
  const std::int64_t chunk = rowsPerChunk(rows, width);
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    const std::int64_t first = index * chunk;
    const std::int64_t count = std::min(rows, first + chunk) - first;
    forwardRows(x + first * width, gamma, beta, epsilon, count, width, y + first * width, stats + 2 * first);
  };
  sharedPool().run((rows + chunk - 1) / chunk, task, rows * width >= parallelElements);
}

void layerNormBackward(const float* dy, const float* x, const float* gamma, const float* stats, std::int64_t rows,
                       std::int64_t width, float* dx, float* dGamma, float* dBeta) {
  const std::int64_t chunk = rowsPerChunk(rows, width);
  const std::int64_t chunks = (rows + chunk - 1) / chunk;
  std::vector<float> partial(static_cast<std::size_t>(chunks * 2 * width), 0.0f);
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    const std::int64_t first = index * chunk;
    const std::int64_t count = std::min(rows, first + chunk) - first;
    float* gammaSum = partial.data() + index * 2 * width;
    backwardRows(dy + first * width, x + first * width, gamma, stats + 2 * first, count, width, dx + first * width, gammaSum,
                 gammaSum + width);
  };
  sharedPool().run(chunks, task, rows * width >= parallelElements);
  std::fill(dGamma, dGamma + width, 0.0f);
  std::fill(dBeta, dBeta + width, 0.0f);
  for (std::int64_t c = 0; c < chunks; ++c) {
    const float* gammaSum = partial.data() + c * 2 * width;
    for (std::int64_t j = 0; j < width; ++j) {
      dGamma[j] += gammaSum[j];
      dBeta[j] += gammaSum[width + j];
    }
  }
}

}  // namespace evgap
