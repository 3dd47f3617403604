// The Node-API surface of evgap_matmul (ABI-stable, so one binary serves Node and Electron): `matmul` multiplies
// float32 matrices that live anywhere in one ArrayBuffer (for TF.js's wasm backend: its WebAssembly.Memory
// buffer, so tensors are read and written in place), `transpose`, `slice`, `place` and `sum` are the layout kernels around it,
// `info` says which kernel and how many threads run, and `useInstructionSet` switches kernels (for tests and
// benchmarks); the fused training kernels are in addonFused.cc. Every offset and extent is checked against the
// buffer before any memory is touched.
#include <node_api.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "addonFused.h"
#include "cpuFeatures.h"
#include "layoutKernels.h"
#include "microKernels.h"
#include "napiArgs.h"
#include "sgemm.h"
#include "threadPool.h"

namespace {

using namespace evgap::napi;

/**
 * matmul(memory, aByteOffset, bByteOffset, outByteOffset, aBatchOffsets, bBatchOffsets, m, n, k, transposeA,
 *        transposeB, precision[, biasByteOffset, biasLength, activation, alpha, preluByteOffset, preluLength])
 * out[b] (m×n) = A_b · B_b with A_b stored [m, k] (or [k, m] when transposeA) at aByteOffset + 4·aBatchOffsets[b],
 * likewise B_b [k, n] (or [n, k]); out is contiguous. precision 0: float32, 1: bf16 operands with float32 sums
 * (float32 where the bf16 kernel is not enabled). A negative bias/prelu offset means none.
 */
napi_value matmul(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.matmul";
  try {
    std::size_t argc = 18;
    napi_value args[18];
    check(env, napi_get_cb_info(env, info, &argc, args, nullptr, nullptr), "napi_get_cb_info");
    if (argc != 12 && argc != 18) throwType(env, "expected 12 or 18 arguments, got " + std::to_string(argc));
    const Memory memory = memoryArgument(env, args[0]);
    auto* base = memory.base;
    const auto bytes = memory.bytes;

    const std::int64_t aByteOffset = count(env, args[1], "aByteOffset");
    const std::int64_t bByteOffset = count(env, args[2], "bByteOffset");
    const std::int64_t outByteOffset = count(env, args[3], "outByteOffset");
    const OffsetList aOffsets = offsets(env, args[4], "aBatchOffsets");
    const OffsetList bOffsets = offsets(env, args[5], "bBatchOffsets");
    if (aOffsets.length != bOffsets.length) {
      throwRange(env, "expected aBatchOffsets and bBatchOffsets of one length, got " + std::to_string(aOffsets.length) +
                          " and " + std::to_string(bOffsets.length));
    }
    evgap::BatchedProduct product;
    product.m = count(env, args[6], "m");
    product.n = count(env, args[7], "n");
    product.k = count(env, args[8], "k");
    product.batch = aOffsets.length;
    const bool transposeA = flag(env, args[9], "transposeA");
    const bool transposeB = flag(env, args[10], "transposeB");
    const std::int64_t aFloats = product.batch == 0 || product.m * product.k == 0 ? 0 : aOffsets.largest + product.m * product.k;
    const std::int64_t bFloats = product.batch == 0 || product.k * product.n == 0 ? 0 : bOffsets.largest + product.k * product.n;
    product.a = floatsAt(env, base, bytes, aByteOffset, aFloats, "aByteOffset");
    product.b = floatsAt(env, base, bytes, bByteOffset, bFloats, "bByteOffset");
    product.c = floatsAt(env, base, bytes, outByteOffset, product.batch * product.m * product.n, "outByteOffset");
    product.aOffsets = aOffsets.values;
    product.bOffsets = bOffsets.values;
    product.aRowStride = transposeA ? 1 : product.k;
    product.aColStride = transposeA ? product.m : 1;
    product.bRowStride = transposeB ? 1 : product.n;
    product.bColStride = transposeB ? product.k : 1;
    product.precision = precisionArgument(env, args[11]);

    if (argc == 18) {
      evgap::Epilogue& epilogue = product.epilogue;
      const double biasOffset = number(env, args[12], "biasByteOffset");
      if (biasOffset >= 0) {
        epilogue.biasLength = count(env, args[13], "biasLength");
        if (epilogue.biasLength != 1 && epilogue.biasLength != product.n) {
          throwRange(env, "expected biasLength 1 or n = " + std::to_string(product.n) + ", got " + std::to_string(epilogue.biasLength));
        }
        epilogue.bias = floatsAt(env, base, bytes, count(env, args[12], "biasByteOffset"), epilogue.biasLength, "biasByteOffset");
      }
      const std::int64_t activation = count(env, args[14], "activation");
      if (activation > static_cast<std::int64_t>(Activation::Prelu)) {
        throwRange(env, "expected activation 0 … 6, got " + std::to_string(activation));
      }
      epilogue.activation = static_cast<Activation>(activation);
      epilogue.alpha = static_cast<float>(number(env, args[15], "alpha"));
      if (epilogue.activation == Activation::Prelu) {
        epilogue.preluLength = count(env, args[17], "preluLength");
        if (epilogue.preluLength != 1 && epilogue.preluLength != product.n) {
          throwRange(env, "expected preluLength 1 or n = " + std::to_string(product.n) + ", got " + std::to_string(epilogue.preluLength));
        }
        epilogue.preluWeights =
            floatsAt(env, base, bytes, count(env, args[16], "preluByteOffset"), epilogue.preluLength, "preluByteOffset");
      }
    }
    evgap::batchedProduct(product);
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

/**
 * transpose(memory, xByteOffset, outByteOffset, shape: Uint32Array, perm: Uint32Array): out = x with its axes
 * permuted (output axis i is input axis perm[i]), elements of 4 bytes (float32 or int32).
 */
napi_value transpose(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.transpose";
  try {
    std::size_t argc = 5;
    napi_value args[5];
    check(env, napi_get_cb_info(env, info, &argc, args, nullptr, nullptr), "napi_get_cb_info");
    if (argc != 5) throwType(env, "expected 5 arguments, got " + std::to_string(argc));
    const Memory memory = memoryArgument(env, args[0]);
    const OffsetList shapeList = offsets(env, args[3], "shape");
    const OffsetList permList = offsets(env, args[4], "perm");
    if (shapeList.length != permList.length) throwRange(env, "expected shape and perm of one length");
    std::vector<std::int64_t> shape(shapeList.values, shapeList.values + shapeList.length);
    std::vector<int> perm(permList.values, permList.values + permList.length);
    std::vector<bool> seen(perm.size(), false);
    for (int axis : perm) {
      if (axis >= static_cast<int>(perm.size()) || seen[axis]) throwRange(env, "expected perm to be a permutation of 0 … rank − 1");
      seen[axis] = true;
    }
    std::int64_t total = 1;
    for (std::int64_t size : shape) total *= size;
    const auto* x = reinterpret_cast<const std::uint32_t*>(floatsAt(env, memory.base, memory.bytes, count(env, args[1], "xByteOffset"), total, "xByteOffset"));
    auto* out = reinterpret_cast<std::uint32_t*>(floatsAt(env, memory.base, memory.bytes, count(env, args[2], "outByteOffset"), total, "outByteOffset"));
    evgap::transpose4(x, out, shape, perm);
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

/**
 * slice(memory, xByteOffset, outByteOffset, shape, begin, size: Uint32Array): out = x[begin : begin + size] along
 * every axis, elements of 4 bytes. place(memory, xByteOffset, outByteOffset, shape, begin, size): the inverse,
 * out[begin : begin + size] = x where out has `shape` and x has `size` (the other elements of out stay).
 */
napi_value copyBlock(napi_env env, napi_callback_info info, bool place) {
  try {
    std::size_t argc = 6;
    napi_value args[6];
    check(env, napi_get_cb_info(env, info, &argc, args, nullptr, nullptr), "napi_get_cb_info");
    if (argc != 6) throwType(env, "expected 6 arguments, got " + std::to_string(argc));
    const Memory memory = memoryArgument(env, args[0]);
    const OffsetList shapeList = offsets(env, args[3], "shape");
    const OffsetList beginList = offsets(env, args[4], "begin");
    const OffsetList sizeList = offsets(env, args[5], "size");
    if (shapeList.length != beginList.length || shapeList.length != sizeList.length || shapeList.length == 0) {
      throwRange(env, "expected shape, begin and size of one length >= 1");
    }
    std::vector<std::int64_t> shape(shapeList.values, shapeList.values + shapeList.length);
    std::vector<std::int64_t> begin(beginList.values, beginList.values + beginList.length);
    std::vector<std::int64_t> size(sizeList.values, sizeList.values + sizeList.length);
    std::int64_t wholeSize = 1;
    std::int64_t blockSize = 1;
    for (std::size_t axis = 0; axis < shape.size(); ++axis) {
      if (begin[axis] + size[axis] > shape[axis]) {
        throwRange(env, "axis " + std::to_string(axis) + ": begin " + std::to_string(begin[axis]) + " + size " +
                            std::to_string(size[axis]) + " exceeds " + std::to_string(shape[axis]));
      }
      wholeSize *= shape[axis];
      blockSize *= size[axis];
    }
    const auto* x = reinterpret_cast<const std::uint32_t*>(
        floatsAt(env, memory.base, memory.bytes, count(env, args[1], "xByteOffset"), place ? blockSize : wholeSize, "xByteOffset"));
    auto* out = reinterpret_cast<std::uint32_t*>(
        floatsAt(env, memory.base, memory.bytes, count(env, args[2], "outByteOffset"), place ? wholeSize : blockSize, "outByteOffset"));
    if (place) evgap::place4(x, out, shape, begin, size);
    else evgap::slice4(x, out, shape, begin, size);
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

napi_value slice(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.slice";
  return copyBlock(env, info, false);
}

napi_value place(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.place";
  return copyBlock(env, info, true);
}

/** sum(memory, xByteOffset, outByteOffset, outer, reduced, inner): out[o][i] = Σ_r x[o][r][i], float32. */
napi_value sum(napi_env env, napi_callback_info info) {
  currentFunction = "evgap_matmul.sum";
  try {
    std::size_t argc = 6;
    napi_value args[6];
    check(env, napi_get_cb_info(env, info, &argc, args, nullptr, nullptr), "napi_get_cb_info");
    if (argc != 6) throwType(env, "expected 6 arguments, got " + std::to_string(argc));
    const Memory memory = memoryArgument(env, args[0]);
    const std::int64_t outer = count(env, args[3], "outer");
    const std::int64_t reduced = count(env, args[4], "reduced");
    const std::int64_t inner = count(env, args[5], "inner");
    const float* x = floatsAt(env, memory.base, memory.bytes, count(env, args[1], "xByteOffset"), outer * reduced * inner, "xByteOffset");
    float* out = floatsAt(env, memory.base, memory.bytes, count(env, args[2], "outByteOffset"), outer * inner, "outByteOffset");
    evgap::sumMiddleAxis(x, out, outer, reduced, inner);
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

napi_value makeString(napi_env env, const char* text) {
  napi_value value;
  check(env, napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &value), "napi_create_string_utf8");
  return value;
}

/** { enabled, detail }: whether bf16 products run in bf16, and how that was established or why not. */
napi_value bf16Object(napi_env env, const evgap::Bf16Status& status) {
  napi_value object;
  check(env, napi_create_object(env, &object), "napi_create_object");
  napi_value enabled;
  check(env, napi_get_boolean(env, status.enabled, &enabled), "napi_get_boolean");
  check(env, napi_set_named_property(env, object, "enabled", enabled), "set");
  check(env, napi_set_named_property(env, object, "detail", makeString(env, status.detail)), "set");
  const evgap::Bf16MicroKernel kernel = evgap::bf16MicroKernel();
  const std::string shape = std::to_string(kernel.mr) + "x" + std::to_string(kernel.nr);
  check(env, napi_set_named_property(env, object, "microKernel", makeString(env, shape.c_str())), "set");
  return object;
}

/** probeBf16() → { enabled, detail }: tries the bf16 kernel where CPUID does not report AVX512_BF16. */
napi_value probeBf16(napi_env env, napi_callback_info) {
  try {
    return bf16Object(env, evgap::probeBf16());
  } catch (const Thrown&) {
    return nullptr;
  }
}

/** allowBf16(allowed) → { enabled, detail }: switches the bf16 kernel off (products then run in float32) or on. */
napi_value allowBf16(napi_env env, napi_callback_info callback) {
  currentFunction = "evgap_matmul.allowBf16";
  try {
    const napi_value arg = arguments<1>(env, callback, 1).values[0];
    evgap::setBf16Allowed(flag(env, arg, "allowed"));
    return bf16Object(env, evgap::bf16Status());
  } catch (const Thrown&) {
    return nullptr;
  }
}

/** keepOnCallingThread(on): the calling thread's kernels run on it alone (true) or spread over the pool again. */
napi_value keepOnCallingThread(napi_env env, napi_callback_info callback) {
  currentFunction = "evgap_matmul.keepOnCallingThread";
  try {
    const napi_value arg = arguments<1>(env, callback, 1).values[0];
    evgap::ThreadPool::keepOnCallingThread(flag(env, arg, "on"));
    return nullptr;
  } catch (const Thrown&) {
    return nullptr;
  }
}

/** info() → { instructionSet, supported: string[], threads, microKernel: 'MR×NR', bf16: { enabled, detail, microKernel } }. */
napi_value info(napi_env env, napi_callback_info) {
  try {
    napi_value result;
    check(env, napi_create_object(env, &result), "napi_create_object");
    const InstructionSet selected = evgap::selectedInstructionSet();
    check(env, napi_set_named_property(env, result, "instructionSet", makeString(env, evgap::nameOf(selected))), "set");
    napi_value supported;
    check(env, napi_create_array(env, &supported), "napi_create_array");
    std::uint32_t index = 0;
    for (InstructionSet set : {InstructionSet::Avx512, InstructionSet::Avx2Fma, InstructionSet::Portable}) {
      if (evgap::isSupported(set)) check(env, napi_set_element(env, supported, index++, makeString(env, evgap::nameOf(set))), "set");
    }
    check(env, napi_set_named_property(env, result, "supported", supported), "set");
    napi_value threads;
    check(env, napi_create_int32(env, evgap::poolThreads(), &threads), "napi_create_int32");
    check(env, napi_set_named_property(env, result, "threads", threads), "set");
    const evgap::MicroKernel kernel = evgap::microKernelFor(selected);
    const std::string shape = std::to_string(kernel.mr) + "x" + std::to_string(kernel.nr);
    check(env, napi_set_named_property(env, result, "microKernel", makeString(env, shape.c_str())), "set");
    check(env, napi_set_named_property(env, result, "bf16", bf16Object(env, evgap::bf16Status())), "set");
    return result;
  } catch (const Thrown&) {
    return nullptr;
  }
}

/** useInstructionSet(name) → whether the kernel for 'avx512' | 'avx2' | 'portable' is now the one in use. */
napi_value useInstructionSet(napi_env env, napi_callback_info callback) {
  try {
    std::size_t argc = 1;
    napi_value arg;
    check(env, napi_get_cb_info(env, callback, &argc, &arg, nullptr, nullptr), "napi_get_cb_info");
    char name[16] = {};
    std::size_t length = 0;
    if (argc != 1 || napi_get_value_string_utf8(env, arg, name, sizeof name, &length) != napi_ok) {
      napi_throw_type_error(env, nullptr, "evgap_matmul.useInstructionSet: expected a name: avx512, avx2 or portable");
      return nullptr;
    }
    bool known = false;
    bool switched = false;
    for (InstructionSet set : {InstructionSet::Avx512, InstructionSet::Avx2Fma, InstructionSet::Portable}) {
      if (std::string(name) == evgap::nameOf(set)) {
        known = true;
        switched = evgap::selectInstructionSet(set);
      }
    }
    if (!known) {
      napi_throw_range_error(env, nullptr,
                             ("evgap_matmul.useInstructionSet: expected avx512, avx2 or portable, got " + std::string(name)).c_str());
      return nullptr;
    }
    napi_value result;
    check(env, napi_get_boolean(env, switched, &result), "napi_get_boolean");
    return result;
  } catch (const Thrown&) {
    return nullptr;
  }
}

}  // namespace

NAPI_MODULE_INIT() {
  const napi_property_descriptor properties[] = {
      {"matmul", nullptr, matmul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"transpose", nullptr, transpose, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"slice", nullptr, slice, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"place", nullptr, place, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sum", nullptr, sum, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"probeBf16", nullptr, probeBf16, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"allowBf16", nullptr, allowBf16, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"useInstructionSet", nullptr, useInstructionSet, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"keepOnCallingThread", nullptr, keepOnCallingThread, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  if (napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties) != napi_ok) return nullptr;
  if (!evgap::defineFusedFunctions(env, exports)) return nullptr;
  return exports;
}
