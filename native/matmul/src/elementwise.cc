// Fused elementwise passes: see elementwise.h. Both split their work into fixed chunks (so partial sums add up
// in the same order whatever thread runs a chunk) and run on the shared pool.
#include "elementwise.h"

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
constexpr std::int64_t chunkElements = 1 << 14;

EVGAP_VECTOR_CLONES
void reluBiasRows(const float* __restrict dy, const float* __restrict y, std::int64_t rows, std::int64_t columns,
                  float* __restrict masked, float* __restrict sums) {
  for (std::int64_t row = 0; row < rows; ++row) {
    const float* __restrict g = dy + row * columns;
    const float* __restrict out = y + row * columns;
    float* __restrict target = masked + row * columns;
    for (std::int64_t j = 0; j < columns; ++j) {
      const float value = out[j] > 0 ? g[j] : 0.0f;
      target[j] = value;
      sums[j] += value;
    }
  }
}

EVGAP_VECTOR_CLONES
void adamRange(const float* __restrict param, const float* __restrict grad, const float* __restrict firstMoment,
               const float* __restrict secondMoment, std::int64_t size, const AdamStep& step, float* __restrict paramOut,
               float* __restrict firstMomentOut, float* __restrict secondMomentOut, float* squares) {
  const float oneMinusBeta1 = 1.0f - step.beta1;
  const float oneMinusBeta2 = 1.0f - step.beta2;
  const float inverseCorrection = 1.0f / step.secondCorrection;
  float gradSquares = 0;
  float paramSquares = 0;
  EVGAP_SIMD_SUM(gradSquares)
  for (std::int64_t i = 0; i < size; ++i) gradSquares += grad[i] * grad[i];
  for (std::int64_t i = 0; i < size; ++i) {
    const float g = grad[i];
    const float m = step.beta1 * firstMoment[i] + oneMinusBeta1 * g;
    const float v = step.beta2 * secondMoment[i] + oneMinusBeta2 * g * g;
    firstMomentOut[i] = m;
    secondMomentOut[i] = v;
    paramOut[i] = step.decayFactor * param[i] - step.stepSize * m / (std::sqrt(v) * inverseCorrection + step.epsilon);
  }
  EVGAP_SIMD_SUM(paramSquares)
  for (std::int64_t i = 0; i < size; ++i) paramSquares += paramOut[i] * paramOut[i];
  squares[0] = gradSquares;
  squares[1] = paramSquares;
}

}  // namespace

void reluBiasBackward(const float* dy, const float* y, std::int64_t rows, std::int64_t columns, float* dyMasked, float* dBias) {
  const std::int64_t chunkRows = std::max<std::int64_t>(1, chunkElements / std::max<std::int64_t>(columns, 1));
  const std::int64_t chunks = (rows + chunkRows - 1) / chunkRows;
  std::vector<float> partial(static_cast<std::size_t>(chunks * columns), 0.0f);
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    const std::int64_t first = index * chunkRows;
    const std::int64_t count = std::min(rows, first + chunkRows) - first;
    reluBiasRows(dy + first * columns, y + first * columns, count, columns, dyMasked + first * columns, partial.data() + index * columns);
  };
  sharedPool().run(chunks, task, rows * columns >= parallelElements);
  std::fill(dBias, dBias + columns, 0.0f);
  for (std::int64_t c = 0; c < chunks; ++c) {
    const float* sums = partial.data() + c * columns;
    for (std::int64_t j = 0; j < columns; ++j) dBias[j] += sums[j];
  }
}

void adamUpdate(const float* param, const float* grad, const float* firstMoment, const float* secondMoment, std::int64_t size,
                const AdamStep& step, float* paramOut, float* firstMomentOut, float* secondMomentOut, double* sums) {
  const std::int64_t chunks = (size + chunkElements - 1) / chunkElements;
  std::vector<float> partial(static_cast<std::size_t>(2 * chunks), 0.0f);
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    const std::int64_t begin = index * chunkElements;
    const std::int64_t count = std::min(size, begin + chunkElements) - begin;
    adamRange(param + begin, grad + begin, firstMoment + begin, secondMoment + begin, count, step, paramOut + begin,
              firstMomentOut + begin, secondMomentOut + begin, partial.data() + 2 * index);
  };
  sharedPool().run(chunks, task, size >= parallelElements);
  sums[0] = 0;
  sums[1] = 0;
  for (std::int64_t c = 0; c < chunks; ++c) {
    sums[0] += partial[static_cast<std::size_t>(2 * c)];
    sums[1] += partial[static_cast<std::size_t>(2 * c + 1)];
  }
}

namespace {

/** float32 value of every binary16 bit pattern (the same table the JavaScript side decodes with). */
const float* halfTable() {
  static const float* table = [] {
    auto* values = new float[65536];
    for (std::uint32_t h = 0; h < 65536; ++h) {
      const float sign = (h & 0x8000) ? -1.0f : 1.0f;
      const std::uint32_t exponent = (h >> 10) & 0x1f;
      const std::uint32_t mantissa = h & 0x3ff;
      if (exponent == 0) values[h] = sign * static_cast<float>(mantissa) * std::ldexp(1.0f, -24);
      else if (exponent == 31) values[h] = mantissa == 0 ? sign * INFINITY : NAN;
      else values[h] = sign * (1.0f + static_cast<float>(mantissa) / 1024.0f) * std::ldexp(1.0f, static_cast<int>(exponent) - 15);
    }
    return values;
  }();
  return table;
}

EVGAP_VECTOR_CLONES
void lerpFloat32(const float* __restrict x, const float* __restrict y, double weight, std::int64_t dim, float* __restrict out) {
  for (std::int64_t f = 0; f < dim; ++f) {
    const double a = x[f];
    out[f] = static_cast<float>(a + weight * (static_cast<double>(y[f]) - a));
  }
}

EVGAP_VECTOR_CLONES
void lerpFloat16(const std::uint16_t* __restrict x, const std::uint16_t* __restrict y, const float* __restrict table, double weight,
                 std::int64_t dim, float* __restrict out) {
  for (std::int64_t f = 0; f < dim; ++f) {
    const double a = table[x[f]];
    out[f] = static_cast<float>(a + weight * (static_cast<double>(table[y[f]]) - a));
  }
}

}  // namespace

void lerpFrames(FrameValues x, FrameValues y, double weight, std::int64_t dim, float* out) {
  const float* table = halfTable();
  if (weight == 0 || y.data == nullptr) {
    if (!x.float16) std::copy_n(static_cast<const float*>(x.data), dim, out);
    else for (std::int64_t f = 0; f < dim; ++f) out[f] = table[static_cast<const std::uint16_t*>(x.data)[f]];
    return;
  }
  if (!x.float16) lerpFloat32(static_cast<const float*>(x.data), static_cast<const float*>(y.data), weight, dim, out);
  else lerpFloat16(static_cast<const std::uint16_t*>(x.data), static_cast<const std::uint16_t*>(y.data), table, weight, dim, out);
}

}  // namespace evgap
