// tapSum and tapScatter: see tapSum.h. Frames are split into chunks across the pool; each output row is written
// once, from rows of the input that the chunk only reads.
#include "tapSum.h"

#include <algorithm>
#include <functional>

#include "sgemm.h"
#include "simd.h"
#include "threadPool.h"

namespace evgap {
namespace {

constexpr std::int64_t parallelElements = 1 << 15;

std::int64_t offsetOf(const TapLayout& layout, std::int64_t tap) { return (tap - (layout.taps - 1) / 2) * layout.dilation; }

EVGAP_VECTOR_CLONES
void sumRow(const float* __restrict z, const float* __restrict bias, const TapLayout& layout, bool relu, std::int64_t row,
            float* __restrict out) {
  const std::int64_t T = layout.length;
  const std::int64_t C = layout.channels;
  const std::int64_t width = layout.taps * C;
  const std::int64_t sequence = row / T;
  const std::int64_t t = row % T;
  for (std::int64_t c = 0; c < C; ++c) out[c] = bias == nullptr ? 0.0f : bias[c];
  for (std::int64_t j = 0; j < layout.taps; ++j) {
    const std::int64_t source = t + offsetOf(layout, j);
    if (source < 0 || source >= T) continue;
    const float* __restrict in = z + (sequence * T + source) * width + j * C;
    for (std::int64_t c = 0; c < C; ++c) out[c] += in[c];
  }
  if (relu) {
    for (std::int64_t c = 0; c < C; ++c) out[c] = out[c] < 0 ? 0.0f : out[c];
  }
}

}  // namespace

void tapSum(const float* z, const float* bias, const TapLayout& layout, bool relu, float* y) {
  const std::int64_t T = layout.length;
  const std::int64_t C = layout.channels;
  const std::int64_t width = layout.taps * C;
  const std::int64_t rows = layout.batch * T;
  const std::int64_t chunk = std::max<std::int64_t>(1, (1 << 13) / std::max<std::int64_t>(C, 1));
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    const std::int64_t end = std::min(rows, (index + 1) * chunk);
    for (std::int64_t row = index * chunk; row < end; ++row) sumRow(z, bias, layout, relu, row, y + row * C);
  };
  sharedPool().run((rows + chunk - 1) / chunk, task, rows * width >= parallelElements);
}

void tapScatter(const float* dy, const TapLayout& layout, float* dz) {
  const std::int64_t T = layout.length;
  const std::int64_t C = layout.channels;
  const std::int64_t width = layout.taps * C;
  const std::int64_t rows = layout.batch * T;
  const std::int64_t chunk = std::max<std::int64_t>(1, (1 << 13) / std::max<std::int64_t>(width, 1));
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    const std::int64_t end = std::min(rows, (index + 1) * chunk);
    for (std::int64_t row = index * chunk; row < end; ++row) {
      const std::int64_t sequence = row / T;
      const std::int64_t s = row % T;
      for (std::int64_t j = 0; j < layout.taps; ++j) {
        float* out = dz + row * width + j * C;
        const std::int64_t t = s - offsetOf(layout, j);
        if (t < 0 || t >= T) std::fill_n(out, C, 0.0f);
        else std::copy_n(dy + (sequence * T + t) * C, C, out);
      }
    }
  };
  sharedPool().run((rows + chunk - 1) / chunk, task, rows * width >= parallelElements);
}

}  // namespace evgap
