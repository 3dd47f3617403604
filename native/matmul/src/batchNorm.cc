// Batch normalization over rows: see batchNorm.h. The column statistics and sums are one pass each over the rows,
// accumulated in double per channel (vectorized across channels) on the calling thread; the elementwise passes
// (the output, dx) are split into row chunks across the pool when large.
#include "batchNorm.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "sgemm.h"
#include "simd.h"
#include "threadPool.h"

namespace evgap {
namespace {

constexpr std::int64_t parallelElements = 1 << 16;

/** Runs `rowsTask(first, count)` over row chunks of about 16K elements, on the pool when the work is large. */
void overRowChunks(std::int64_t rows, std::int64_t channels, const std::function<void(std::int64_t, std::int64_t)>& rowsTask) {
  const std::int64_t chunk = std::max<std::int64_t>(1, (1 << 14) / std::max<std::int64_t>(channels, 1));
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    const std::int64_t first = index * chunk;
    rowsTask(first, std::min(rows, first + chunk) - first);
  };
  sharedPool().run((rows + chunk - 1) / chunk, task, rows * channels >= parallelElements);
}

EVGAP_VECTOR_CLONES
void columnMeans(const float* __restrict x, std::int64_t rows, std::int64_t channels, double* __restrict sums) {
  for (std::int64_t c = 0; c < channels; ++c) sums[c] = 0;
  for (std::int64_t row = 0; row < rows; ++row) {
    const float* __restrict in = x + row * channels;
    for (std::int64_t c = 0; c < channels; ++c) sums[c] += in[c];
  }
  for (std::int64_t c = 0; c < channels; ++c) sums[c] /= static_cast<double>(rows);
}

EVGAP_VECTOR_CLONES
void columnSquares(const float* __restrict x, const double* __restrict mean, std::int64_t rows, std::int64_t channels,
                   double* __restrict squares) {
  for (std::int64_t c = 0; c < channels; ++c) squares[c] = 0;
  for (std::int64_t row = 0; row < rows; ++row) {
    const float* __restrict in = x + row * channels;
    for (std::int64_t c = 0; c < channels; ++c) {
      const double centered = in[c] - mean[c];
      squares[c] += centered * centered;
    }
  }
}

EVGAP_VECTOR_CLONES
void normalizeRows(const float* __restrict x, const float* __restrict scale, const float* __restrict shift, bool relu,
                   std::int64_t rows, std::int64_t channels, float* __restrict y) {
  for (std::int64_t row = 0; row < rows; ++row) {
    const float* __restrict in = x + row * channels;
    float* __restrict out = y + row * channels;
    if (relu) {
      for (std::int64_t c = 0; c < channels; ++c) {
        const float value = in[c] * scale[c] + shift[c];
        out[c] = value < 0.0f ? 0.0f : value;
      }
    } else {
      for (std::int64_t c = 0; c < channels; ++c) out[c] = in[c] * scale[c] + shift[c];
    }
  }
}

EVGAP_VECTOR_CLONES
void gradientSums(const float* __restrict dy, const float* __restrict x, const float* __restrict y, const float* __restrict mean,
                  const float* __restrict rstd, bool relu, std::int64_t rows, std::int64_t channels, double* __restrict gSum,
                  double* __restrict gxSum) {
  for (std::int64_t c = 0; c < channels; ++c) gSum[c] = gxSum[c] = 0;
  for (std::int64_t row = 0; row < rows; ++row) {
    const float* __restrict g = dy + row * channels;
    const float* __restrict in = x + row * channels;
    const float* __restrict out = y + row * channels;
    for (std::int64_t c = 0; c < channels; ++c) {
      const float masked = relu && !(out[c] > 0.0f) ? 0.0f : g[c];
      gSum[c] += masked;
      gxSum[c] += masked * ((in[c] - mean[c]) * rstd[c]);
    }
  }
}

EVGAP_VECTOR_CLONES
void inputGradientRows(const float* __restrict dy, const float* __restrict x, const float* __restrict y, const float* __restrict mean,
                       const float* __restrict rstd, const float* __restrict scale, const float* __restrict meanG,
                       const float* __restrict meanGx, bool relu, std::int64_t rows, std::int64_t channels, float* __restrict dx) {
  for (std::int64_t row = 0; row < rows; ++row) {
    const float* __restrict g = dy + row * channels;
    const float* __restrict in = x + row * channels;
    const float* __restrict out = y + row * channels;
    float* __restrict d = dx + row * channels;
    for (std::int64_t c = 0; c < channels; ++c) {
      const float masked = relu && !(out[c] > 0.0f) ? 0.0f : g[c];
      const float normalized = (in[c] - mean[c]) * rstd[c];
      d[c] = scale[c] * (masked - meanG[c] - normalized * meanGx[c]);
    }
  }
}

}  // namespace

void batchNormForward(const float* x, const float* gamma, const float* beta, float epsilon, bool relu, std::int64_t rows,
                      std::int64_t channels, float* y, float* stats) {
  std::vector<double> mean(static_cast<std::size_t>(channels)), squares(static_cast<std::size_t>(channels));
  columnMeans(x, rows, channels, mean.data());
  columnSquares(x, mean.data(), rows, channels, squares.data());
  std::vector<float> scale(static_cast<std::size_t>(channels)), shift(static_cast<std::size_t>(channels));
  for (std::int64_t c = 0; c < channels; ++c) {
    const double variance = squares[c] / static_cast<double>(rows);
    const float meanF = static_cast<float>(mean[c]);
    const float rstd = static_cast<float>(1.0 / std::sqrt(variance + epsilon));
    stats[c] = meanF;
    stats[channels + c] = rstd;
    stats[2 * channels + c] = static_cast<float>(variance);
    // y = (x − μ)·r·γ + β = x·(r·γ) + (β − μ·r·γ)
    scale[c] = rstd * gamma[c];
    shift[c] = beta[c] - meanF * scale[c];
  }
  overRowChunks(rows, channels, [&](std::int64_t first, std::int64_t count) {
    normalizeRows(x + first * channels, scale.data(), shift.data(), relu, count, channels, y + first * channels);
  });
}

void batchNormBackward(const float* dy, const float* x, const float* y, const float* gamma, const float* stats, bool relu,
                       std::int64_t rows, std::int64_t channels, float* dx, float* dGamma, float* dBeta) {
  const float* mean = stats;
  const float* rstd = stats + channels;
  std::vector<double> gSum(static_cast<std::size_t>(channels)), gxSum(static_cast<std::size_t>(channels));
  gradientSums(dy, x, y, mean, rstd, relu, rows, channels, gSum.data(), gxSum.data());
  std::vector<float> scale(static_cast<std::size_t>(channels)), meanG(static_cast<std::size_t>(channels)),
      meanGx(static_cast<std::size_t>(channels));
  for (std::int64_t c = 0; c < channels; ++c) {
    dBeta[c] = static_cast<float>(gSum[c]);
    dGamma[c] = static_cast<float>(gxSum[c]);
    scale[c] = rstd[c] * gamma[c];
    meanG[c] = static_cast<float>(gSum[c] / static_cast<double>(rows));
    meanGx[c] = static_cast<float>(gxSum[c] / static_cast<double>(rows));
  }
  overRowChunks(rows, channels, [&](std::int64_t first, std::int64_t count) {
    inputGradientRows(dy + first * channels, x + first * channels, y + first * channels, mean, rstd, scale.data(), meanG.data(),
                      meanGx.data(), relu, count, channels, dx + first * channels);
  });
}

}  // namespace evgap
