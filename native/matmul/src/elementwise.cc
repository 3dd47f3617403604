// Fused elementwise passes: see elementwise.h. Both split their work into fixed chunks (so partial sums add up
// in the same order whatever thread runs a chunk) and run on the shared pool.
#include "elementwise.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "cpuFeatures.h"
#include "isa.h"
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

// Vectorized (sqrt included) only because the addon is compiled with -fno-math-errno (binding.gyp): with errno
// kept, GCC left this loop scalar and the update of the paper encoder's 20 M parameters took 36 ms instead of 17.
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

#if defined(EVGAP_X86)
/**
 * Writes consecutive 16-float vectors to `out` with streaming stores, which skip reading the old contents of the
 * cache lines they fill (the optimizer's outputs are fresh tensors over memory last used a step ago, long out of
 * the caches): 28 bytes of memory traffic per parameter instead of 40. Streaming stores must be 64-byte aligned and
 * `out` need not be, so each aligned vector is assembled from the last two (vpermt2ps); the partial lines at the
 * ends are stored normally.
 */
class StreamingWriter {
 public:
  EVGAP_TARGET("avx512f")
  explicit StreamingWriter(float* out) : out_(out) {
    skew_ = static_cast<int>((reinterpret_cast<std::uintptr_t>(out) / sizeof(float)) % 16);
    // aligned[l] = l < skew ? previous[16 − skew + l] : current[l − skew]: indices 16.. of permutex2var pick `current`.
    alignas(64) std::int32_t indices[16];
    for (int l = 0; l < 16; ++l) indices[l] = l < skew_ ? 16 - skew_ + l : 16 + l - skew_;
    shuffle_ = _mm512_load_si512(indices);
    previous_ = _mm512_setzero_ps();
  }

  /** Elements [16·index, 16·index + 16) of the output. */
  EVGAP_TARGET("avx512f")
  void put(std::int64_t index, __m512 current) {
    float* at = out_ + 16 * index;
    if (skew_ == 0) {
      _mm512_stream_ps(at, current);
      return;
    }
    if (index == 0) {
      // The aligned line that starts before `out` is only partly ours: its elements [0, 16 − skew) normally.
      _mm512_mask_storeu_ps(at, static_cast<__mmask16>((1u << (16 - skew_)) - 1), current);
    } else {
      _mm512_stream_ps(at - skew_, _mm512_permutex2var_ps(previous_, shuffle_, current));
    }
    previous_ = current;
  }

  /** After `vectors` full vectors: the last `skew` elements they held, and `tail` (< 16) more in `last`. */
  EVGAP_TARGET("avx512f")
  void finish(std::int64_t vectors, __m512 last, int tail) {
    float* end = out_ + 16 * vectors;
    if (skew_ > 0 && vectors > 0) {
      alignas(64) float held[16];
      _mm512_store_ps(held, previous_);
      for (int l = 16 - skew_; l < 16; ++l) end[l - 16] = held[l];
    }
    if (tail > 0) _mm512_mask_storeu_ps(end, static_cast<__mmask16>((1u << tail) - 1), last);
  }

 private:
  float* out_;
  int skew_ = 0;
  __m512i shuffle_;
  __m512 previous_;
};

/** adamRange with AVX-512, element for element the same arithmetic (no fused multiply-adds), outputs streamed. */
EVGAP_TARGET("avx512f")
void adamRangeAvx512(const float* __restrict param, const float* __restrict grad, const float* __restrict firstMoment,
                     const float* __restrict secondMoment, std::int64_t size, const AdamStep& step, float* __restrict paramOut,
                     float* __restrict firstMomentOut, float* __restrict secondMomentOut, float* squares) {
  const __m512 beta1 = _mm512_set1_ps(step.beta1);
  const __m512 beta2 = _mm512_set1_ps(step.beta2);
  const __m512 oneMinusBeta1 = _mm512_set1_ps(1.0f - step.beta1);
  const __m512 oneMinusBeta2 = _mm512_set1_ps(1.0f - step.beta2);
  const __m512 inverseCorrection = _mm512_set1_ps(1.0f / step.secondCorrection);
  const __m512 epsilon = _mm512_set1_ps(step.epsilon);
  const __m512 stepSize = _mm512_set1_ps(step.stepSize);
  const __m512 decay = _mm512_set1_ps(step.decayFactor);
  StreamingWriter mOut(firstMomentOut), vOut(secondMomentOut), pOut(paramOut);
  __m512 gradSquares = _mm512_setzero_ps();
  __m512 paramSquares = _mm512_setzero_ps();
  __m512 m = _mm512_setzero_ps(), v = _mm512_setzero_ps(), p = _mm512_setzero_ps();
  // Elements [i, i + 16) where `mask` is set (the tail: fewer); masked lanes hold 0 (m = v = 0, p = 0 / ε... = 0).
  const auto update = [&](std::int64_t i, __mmask16 mask) EVGAP_TARGET("avx512f") {
    const __m512 g = _mm512_maskz_loadu_ps(mask, grad + i);
    m = _mm512_add_ps(_mm512_mul_ps(beta1, _mm512_maskz_loadu_ps(mask, firstMoment + i)), _mm512_mul_ps(oneMinusBeta1, g));
    v = _mm512_add_ps(_mm512_mul_ps(beta2, _mm512_maskz_loadu_ps(mask, secondMoment + i)), _mm512_mul_ps(_mm512_mul_ps(oneMinusBeta2, g), g));
    const __m512 denominator = _mm512_add_ps(_mm512_mul_ps(_mm512_sqrt_ps(v), inverseCorrection), epsilon);
    p = _mm512_sub_ps(_mm512_mul_ps(decay, _mm512_maskz_loadu_ps(mask, param + i)), _mm512_div_ps(_mm512_mul_ps(stepSize, m), denominator));
    p = _mm512_maskz_mov_ps(mask, p);  // a masked lane is 0 already unless ε = 0 (0/0)
    gradSquares = _mm512_add_ps(gradSquares, _mm512_mul_ps(g, g));
    paramSquares = _mm512_add_ps(paramSquares, _mm512_mul_ps(p, p));
  };
  const std::int64_t vectors = size / 16;
  for (std::int64_t index = 0; index < vectors; ++index) {
    update(16 * index, static_cast<__mmask16>(0xffff));
    mOut.put(index, m);
    vOut.put(index, v);
    pOut.put(index, p);
  }
  const int tail = static_cast<int>(size - 16 * vectors);
  if (tail > 0) update(16 * vectors, static_cast<__mmask16>((1u << tail) - 1));
  mOut.finish(vectors, m, tail);
  vOut.finish(vectors, v, tail);
  pOut.finish(vectors, p, tail);
  _mm_sfence();  // streaming stores are weakly ordered: done before this thread reports the chunk finished
  squares[0] = _mm512_reduce_add_ps(gradSquares);
  squares[1] = _mm512_reduce_add_ps(paramSquares);
}
#endif

EVGAP_VECTOR_CLONES
void addRange(const float* a, const float* b, std::int64_t size, float* out) {
  for (std::int64_t i = 0; i < size; ++i) out[i] = a[i] + b[i];
}
}  // namespace

void addArrays(const float* a, const float* b, std::int64_t size, float* out) {
  const std::int64_t chunks = (size + chunkElements - 1) / chunkElements;
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    const std::int64_t begin = index * chunkElements;
    addRange(a + begin, b + begin, std::min(size, begin + chunkElements) - begin, out + begin);
  };
  sharedPool().run(chunks, task, size >= parallelElements);
}

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
  const bool streaming = isSupported(InstructionSet::Avx512);
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    const std::int64_t begin = index * chunkElements;
    const std::int64_t count = std::min(size, begin + chunkElements) - begin;
#if defined(EVGAP_X86)
    if (streaming) {
      adamRangeAvx512(param + begin, grad + begin, firstMoment + begin, secondMoment + begin, count, step, paramOut + begin,
                      firstMomentOut + begin, secondMomentOut + begin, partial.data() + 2 * index);
      return;
    }
#endif
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
