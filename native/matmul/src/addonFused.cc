// The Node-API functions of the fused training kernels (layer norm, batch norm, attention, ReLU+bias gradient, Adam update,
// the tap passes of 1-D convolutions) and of clip sampling's row interpolation (lerpFrames, on JS typed arrays). Like matmul, each works on float32 arrays at byte offsets of one
// ArrayBuffer (the wasm backend's memory), and checks every offset and extent before touching memory.
#include <node_api.h>

#include <cstdint>
#include <string>

#include "addonFused.h"
#include "attention.h"
#include "batchNorm.h"
#include "elementwise.h"
#include "layerNorm.h"
#include "napiArgs.h"
#include "tapSum.h"

namespace {

using namespace evgap::napi;

/** Floats at byte offset `args[index]` of the memory, checked to hold `floats` floats. */
float* at(napi_env env, const Memory& memory, napi_value value, const char* name, std::int64_t floats) {
  return floatsAt(env, memory.base, memory.bytes, count(env, value, name), floats, name);
}

/** layerNorm(memory, x, gamma, beta, y, stats, rows, width, epsilon): offsets in bytes; stats [rows, 2] = (μ, 1/σ). */
napi_value jsLayerNorm(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.layerNorm";
  try {
    auto args = arguments<9>(env, info, 9);
    const Memory memory = memoryArgument(env, args.values[0]);
    const std::int64_t rows = count(env, args.values[6], "rows");
    const std::int64_t width = count(env, args.values[7], "width");
    const double epsilon = number(env, args.values[8], "epsilon");
    if (!(epsilon > 0)) throwRange(env, "expected epsilon > 0, got " + std::to_string(epsilon));
    evgap::layerNormForward(at(env, memory, args.values[1], "x", rows * width), at(env, memory, args.values[2], "gamma", width),
                            at(env, memory, args.values[3], "beta", width), static_cast<float>(epsilon), rows, width,
                            at(env, memory, args.values[4], "y", rows * width), at(env, memory, args.values[5], "stats", 2 * rows));
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

/** layerNormBackward(memory, dy, x, gamma, stats, dx, dGamma, dBeta, rows, width). */
napi_value jsLayerNormBackward(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.layerNormBackward";
  try {
    auto args = arguments<10>(env, info, 10);
    const Memory memory = memoryArgument(env, args.values[0]);
    const std::int64_t rows = count(env, args.values[8], "rows");
    const std::int64_t width = count(env, args.values[9], "width");
    evgap::layerNormBackward(at(env, memory, args.values[1], "dy", rows * width), at(env, memory, args.values[2], "x", rows * width),
                             at(env, memory, args.values[3], "gamma", width), at(env, memory, args.values[4], "stats", 2 * rows),
                             rows, width, at(env, memory, args.values[5], "dx", rows * width),
                             at(env, memory, args.values[6], "dGamma", width), at(env, memory, args.values[7], "dBeta", width));
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

evgap::AttentionShape attentionShape(napi_env env, const napi_value* values) {
  evgap::AttentionShape shape{count(env, values[0], "batch"), count(env, values[1], "length"), count(env, values[2], "heads"),
                              count(env, values[3], "modelDim")};
  if (shape.heads == 0 || shape.modelDim % shape.heads != 0) {
    throwRange(env, "expected modelDim divisible by heads, got modelDim " + std::to_string(shape.modelDim) + " and heads " +
                        std::to_string(shape.heads));
  }
  return shape;
}

/** attention(memory, qkv, output, probabilities, batch, length, heads, modelDim). */
napi_value jsAttention(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.attention";
  try {
    auto args = arguments<8>(env, info, 8);
    const Memory memory = memoryArgument(env, args.values[0]);
    const evgap::AttentionShape s = attentionShape(env, args.values + 4);
    const std::int64_t rows = s.batch * s.length;
    evgap::attentionForward(at(env, memory, args.values[1], "qkv", rows * 3 * s.modelDim), s,
                            at(env, memory, args.values[2], "output", rows * s.modelDim),
                            at(env, memory, args.values[3], "probabilities", s.batch * s.heads * s.length * s.length));
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

/** attentionBackward(memory, dOutput, qkv, probabilities, dQkv, batch, length, heads, modelDim). */
napi_value jsAttentionBackward(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.attentionBackward";
  try {
    auto args = arguments<9>(env, info, 9);
    const Memory memory = memoryArgument(env, args.values[0]);
    const evgap::AttentionShape s = attentionShape(env, args.values + 5);
    const std::int64_t rows = s.batch * s.length;
    evgap::attentionBackward(at(env, memory, args.values[1], "dOutput", rows * s.modelDim), at(env, memory, args.values[2], "qkv", rows * 3 * s.modelDim),
                             at(env, memory, args.values[3], "probabilities", s.batch * s.heads * s.length * s.length), s,
                             at(env, memory, args.values[4], "dQkv", rows * 3 * s.modelDim));
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

/** add(memory, a, b, out, size): out = a + b over `size` floats; offsets in bytes. */
napi_value jsAdd(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.add";
  try {
    auto args = arguments<5>(env, info, 5);
    const Memory memory = memoryArgument(env, args.values[0]);
    const std::int64_t size = count(env, args.values[4], "size");
    evgap::addArrays(at(env, memory, args.values[1], "a", size), at(env, memory, args.values[2], "b", size), size,
                     at(env, memory, args.values[3], "out", size));
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

/** reluBiasBackward(memory, dy, y, dyMasked, dBias, rows, columns). */
napi_value jsReluBiasBackward(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.reluBiasBackward";
  try {
    auto args = arguments<7>(env, info, 7);
    const Memory memory = memoryArgument(env, args.values[0]);
    const std::int64_t rows = count(env, args.values[5], "rows");
    const std::int64_t columns = count(env, args.values[6], "columns");
    evgap::reluBiasBackward(at(env, memory, args.values[1], "dy", rows * columns), at(env, memory, args.values[2], "y", rows * columns),
                            rows, columns, at(env, memory, args.values[3], "dyMasked", rows * columns),
                            at(env, memory, args.values[4], "dBias", columns));
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

/**
 * adamUpdate(memory, param, grad, firstMoment, secondMoment, paramOut, firstMomentOut, secondMomentOut, size,
 *            beta1, beta2, epsilon, stepSize, secondCorrection, decayFactor) → [Σ grad², Σ paramOut²].
 */
napi_value jsAdamUpdate(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.adamUpdate";
  try {
    auto args = arguments<15>(env, info, 15);
    const Memory memory = memoryArgument(env, args.values[0]);
    const std::int64_t size = count(env, args.values[8], "size");
    evgap::AdamStep step{};
    step.beta1 = static_cast<float>(number(env, args.values[9], "beta1"));
    step.beta2 = static_cast<float>(number(env, args.values[10], "beta2"));
    step.epsilon = static_cast<float>(number(env, args.values[11], "epsilon"));
    step.stepSize = static_cast<float>(number(env, args.values[12], "stepSize"));
    step.secondCorrection = static_cast<float>(number(env, args.values[13], "secondCorrection"));
    step.decayFactor = static_cast<float>(number(env, args.values[14], "decayFactor"));
    if (!(step.secondCorrection > 0)) throwRange(env, "expected secondCorrection > 0");
    double sums[2];
    evgap::adamUpdate(at(env, memory, args.values[1], "param", size), at(env, memory, args.values[2], "grad", size),
                      at(env, memory, args.values[3], "firstMoment", size), at(env, memory, args.values[4], "secondMoment", size), size, step,
                      at(env, memory, args.values[5], "paramOut", size), at(env, memory, args.values[6], "firstMomentOut", size),
                      at(env, memory, args.values[7], "secondMomentOut", size), sums);
    napi_value result;
    check(env, napi_create_array_with_length(env, 2, &result), "napi_create_array_with_length");
    for (std::uint32_t i = 0; i < 2; ++i) {
      napi_value value;
      check(env, napi_create_double(env, sums[i], &value), "napi_create_double");
      check(env, napi_set_element(env, result, i, value), "napi_set_element");
    }
    return result;
  } catch (const Thrown&) {
    return nullptr;
  }
}

evgap::TapLayout tapLayout(napi_env env, const napi_value* values) {
  evgap::TapLayout layout{count(env, values[0], "batch"), count(env, values[1], "length"), count(env, values[2], "channels"),
                          count(env, values[3], "taps"), count(env, values[4], "dilation")};
  if (layout.taps % 2 != 1) throwRange(env, "expected an odd number of taps, got " + std::to_string(layout.taps));
  if (layout.dilation < 1) throwRange(env, "expected dilation >= 1, got " + std::to_string(layout.dilation));
  return layout;
}

/** tapSum(memory, z, bias (negative: none), y, batch, length, channels, taps, dilation, relu). */
napi_value jsTapSum(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.tapSum";
  try {
    auto args = arguments<10>(env, info, 10);
    const Memory memory = memoryArgument(env, args.values[0]);
    const evgap::TapLayout layout = tapLayout(env, args.values + 4);
    const std::int64_t rows = layout.batch * layout.length;
    const float* bias = number(env, args.values[2], "bias") < 0 ? nullptr : at(env, memory, args.values[2], "bias", layout.channels);
    evgap::tapSum(at(env, memory, args.values[1], "z", rows * layout.taps * layout.channels), bias, layout,
                  flag(env, args.values[9], "relu"), at(env, memory, args.values[3], "y", rows * layout.channels));
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

/** batchNorm(memory, x, gamma, beta, y, stats, rows, channels, epsilon, relu): stats [3, channels] = (μ, 1/σ, var). */
napi_value jsBatchNorm(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.batchNorm";
  try {
    auto args = arguments<10>(env, info, 10);
    const Memory memory = memoryArgument(env, args.values[0]);
    const std::int64_t rows = count(env, args.values[6], "rows");
    const std::int64_t channels = count(env, args.values[7], "channels");
    const double epsilon = number(env, args.values[8], "epsilon");
    if (!(epsilon > 0)) throwRange(env, "expected epsilon > 0, got " + std::to_string(epsilon));
    if (rows < 1) throwRange(env, "expected rows >= 1, got " + std::to_string(rows));
    const bool relu = flag(env, args.values[9], "relu");
    evgap::batchNormForward(at(env, memory, args.values[1], "x", rows * channels), at(env, memory, args.values[2], "gamma", channels),
                            at(env, memory, args.values[3], "beta", channels), static_cast<float>(epsilon), relu, rows, channels,
                            at(env, memory, args.values[4], "y", rows * channels), at(env, memory, args.values[5], "stats", 3 * channels));
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

/** batchNormBackward(memory, dy, x, y, gamma, stats, dx, dGamma, dBeta, rows, channels, relu). */
napi_value jsBatchNormBackward(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.batchNormBackward";
  try {
    auto args = arguments<12>(env, info, 12);
    const Memory memory = memoryArgument(env, args.values[0]);
    const std::int64_t rows = count(env, args.values[9], "rows");
    const std::int64_t channels = count(env, args.values[10], "channels");
    if (rows < 1) throwRange(env, "expected rows >= 1, got " + std::to_string(rows));
    const bool relu = flag(env, args.values[11], "relu");
    evgap::batchNormBackward(at(env, memory, args.values[1], "dy", rows * channels), at(env, memory, args.values[2], "x", rows * channels),
                             at(env, memory, args.values[3], "y", rows * channels), at(env, memory, args.values[4], "gamma", channels),
                             at(env, memory, args.values[5], "stats", 3 * channels), relu, rows, channels,
                             at(env, memory, args.values[6], "dx", rows * channels), at(env, memory, args.values[7], "dGamma", channels),
                             at(env, memory, args.values[8], "dBeta", channels));
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

/** tapScatter(memory, dy, dz, batch, length, channels, taps, dilation). */
napi_value jsTapScatter(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.tapScatter";
  try {
    auto args = arguments<8>(env, info, 8);
    const Memory memory = memoryArgument(env, args.values[0]);
    const evgap::TapLayout layout = tapLayout(env, args.values + 3);
    const std::int64_t rows = layout.batch * layout.length;
    evgap::tapScatter(at(env, memory, args.values[1], "dy", rows * layout.channels), layout,
                      at(env, memory, args.values[2], "dz", rows * layout.taps * layout.channels));
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

/** A Float32Array or Uint16Array argument (float32 values or float16 bit patterns): its data and length. */
struct FrameArray {
  void* data = nullptr;
  std::int64_t length = 0;
  bool float16 = false;
};

FrameArray frameArray(napi_env env, napi_value value, const char* name, bool allowFloat16) {
  bool isTypedArray = false;
  check(env, napi_is_typedarray(env, value, &isTypedArray), "napi_is_typedarray");
  napi_typedarray_type type{};
  std::size_t length = 0;
  void* data = nullptr;
  if (isTypedArray) check(env, napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr), "typed array info");
  const bool ok = isTypedArray && (type == napi_float32_array || (allowFloat16 && type == napi_uint16_array));
  if (!ok) throwType(env, std::string("expected ") + name + (allowFloat16 ? " to be a Float32Array or Uint16Array" : " to be a Float32Array"));
  return {data, static_cast<std::int64_t>(length), type == napi_uint16_array};
}

/**
 * lerpFrames(out: Float32Array, outOffset, x, xOffset, y | null, yOffset, weight, dim): one token of clip
 * resampling, out[outOffset + f] = x_f + weight·(y_f − x_f), x and y Float32Array values or Uint16Array float16 bits
 * (offsets in elements).
 */
napi_value jsLerpFrames(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.lerpFrames";
  try {
    auto args = arguments<8>(env, info, 8);
    const FrameArray out = frameArray(env, args.values[0], "out", false);
    const std::int64_t outOffset = count(env, args.values[1], "outOffset");
    const FrameArray x = frameArray(env, args.values[2], "x", true);
    const std::int64_t xOffset = count(env, args.values[3], "xOffset");
    napi_valuetype yType;
    check(env, napi_typeof(env, args.values[4], &yType), "napi_typeof");
    const double weight = number(env, args.values[6], "weight");
    const std::int64_t dim = count(env, args.values[7], "dim");
    if (outOffset + dim > out.length) throwRange(env, "outOffset + dim runs past the end of out");
    if (xOffset + dim > x.length) throwRange(env, "xOffset + dim runs past the end of x");
    evgap::FrameValues yValues{nullptr, x.float16};
    if (yType != napi_null && weight != 0) {
      const FrameArray y = frameArray(env, args.values[4], "y", true);
      const std::int64_t yOffset = count(env, args.values[5], "yOffset");
      if (y.float16 != x.float16) throwType(env, "expected x and y of one type");
      if (yOffset + dim > y.length) throwRange(env, "yOffset + dim runs past the end of y");
      yValues.data = static_cast<const char*>(y.data) + yOffset * (y.float16 ? 2 : 4);
    }
    const evgap::FrameValues xValues{static_cast<const char*>(x.data) + xOffset * (x.float16 ? 2 : 4), x.float16};
    evgap::lerpFrames(xValues, yValues, weight, dim, static_cast<float*>(out.data) + outOffset);
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

}  // namespace

namespace evgap {

bool defineFusedFunctions(napi_env env, napi_value exports) {
  const napi_property_descriptor properties[] = {
      {"layerNorm", nullptr, jsLayerNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"layerNormBackward", nullptr, jsLayerNormBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"attention", nullptr, jsAttention, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"attentionBackward", nullptr, jsAttentionBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluBiasBackward", nullptr, jsReluBiasBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"add", nullptr, jsAdd, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adamUpdate", nullptr, jsAdamUpdate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"tapSum", nullptr, jsTapSum, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"tapScatter", nullptr, jsTapScatter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNorm", nullptr, jsBatchNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormBackward", nullptr, jsBatchNormBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lerpFrames", nullptr, jsLerpFrames, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  return napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties) == napi_ok;
}

}  // namespace evgap
