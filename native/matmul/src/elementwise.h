// Elementwise passes of a training step that TF.js runs as several kernels each, fused into one pass over memory:
// the gradient through a ReLU with the bias gradient that follows it, the sum of two arrays (the residual stream's
// additions and their gradients' accumulation, which TF.js's wasm Add does on one thread), the Adam/AdamW update of one parameter
// with the squared norms the training step logs; and the row interpolation of clip sampling.
#pragma once

#include <cstdint>

namespace evgap {

/** dyMasked = dy ⊙ [y > 0] and dBias = Σ_rows dyMasked, for dy, y, dyMasked [rows, columns] and dBias [columns]. */
void reluBiasBackward(const float* dy, const float* y, std::int64_t rows, std::int64_t columns, float* dyMasked, float* dBias);

/** out = a + b elementwise over `size` floats (out may be a or b). */
void addArrays(const float* a, const float* b, std::int64_t size, float* out);

/** The hyperparameters of one Adam step, bias corrections included (optim/adamw.ts computes them). */
struct AdamStep {
  float beta1, beta2, epsilon;
  float stepSize;            // lr / (1 − β1^t)
  float secondCorrection;    // √(1 − β2^t)
  float decayFactor;         // 1 − lr·wd (decoupled weight decay), 1 without
};

/**
 * m' = β1·m + (1−β1)·g;  v' = β2·v + (1−β2)·g²;  p' = decayFactor·p − stepSize·m' / (√v'/secondCorrection + ε).
 * The outputs must not overlap the inputs. Returns Σg² in sums[0] and Σp'² in sums[1] (chunk sums added in float64).
 */
void adamUpdate(const float* param, const float* grad, const float* firstMoment, const float* secondMoment, std::int64_t size,
                const AdamStep& step, float* paramOut, float* firstMomentOut, float* secondMomentOut, double* sums);

/**
 * One resampled token of a clip: out[f] = x_f + weight·(y_f − x_f) for f < dim, in float64 arithmetic rounded to
 * float32 (what the JavaScript resampling computes), x and y the two neighbouring frames' values, each float32 or
 * float16 bit patterns; y is ignored (may be null) when weight is 0.
 */
struct FrameValues {
  const void* data;
  bool float16;
};
void lerpFrames(FrameValues x, FrameValues y, double weight, std::int64_t dim, float* out);

}  // namespace evgap
