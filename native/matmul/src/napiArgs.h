// Argument handling shared by the addon's Node-API functions: every number, flag, typed array and offset is
// checked, and a failed check throws a JS error naming the function and the argument (then the C++ side unwinds
// with Thrown and the function returns nullptr).
#pragma once

#include <node_api.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "sgemm.h"

namespace evgap::napi {

using evgap::Activation;
using evgap::InstructionSet;

/** A pending JS exception was thrown; the caller returns nullptr. */
struct Thrown {};

inline void check(napi_env env, napi_status status, const char* what) {
  if (status == napi_ok) return;
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, nullptr, (std::string("evgap_matmul: ") + what + " failed").c_str());
  throw Thrown{};
}

/** The exported function being called, for error messages. */
inline thread_local const char* currentFunction = "evgap_matmul";

[[noreturn]] inline void throwRange(napi_env env, const std::string& message) {
  napi_throw_range_error(env, nullptr, (std::string(currentFunction) + ": " + message).c_str());
  throw Thrown{};
}

[[noreturn]] inline void throwType(napi_env env, const std::string& message) {
  napi_throw_type_error(env, nullptr, (std::string(currentFunction) + ": " + message).c_str());
  throw Thrown{};
}

inline double number(napi_env env, napi_value value, const char* name) {
  double result = 0;
  if (napi_get_value_double(env, value, &result) != napi_ok) throwType(env, std::string("expected ") + name + " to be a number");
  return result;
}

/** A non-negative integer argument (≤ 2^53), named in the error. */
inline std::int64_t count(napi_env env, napi_value value, const char* name) {
  const double result = number(env, value, name);
  if (!(result >= 0 && result <= 9007199254740992.0 && std::floor(result) == result)) {
    throwRange(env, std::string("expected ") + name + " to be a non-negative integer, got " + std::to_string(result));
  }
  return static_cast<std::int64_t>(result);
}

inline bool flag(napi_env env, napi_value value, const char* name) {
  bool result = false;
  if (napi_get_value_bool(env, value, &result) != napi_ok) throwType(env, std::string("expected ") + name + " to be a boolean");
  return result;
}

struct OffsetList {
  const std::uint32_t* values = nullptr;
  std::int64_t length = 0;
  std::int64_t largest = 0;
};

inline OffsetList offsets(napi_env env, napi_value value, const char* name) {
  bool isTypedArray = false;
  check(env, napi_is_typedarray(env, value, &isTypedArray), "napi_is_typedarray");
  napi_typedarray_type type{};
  std::size_t length = 0;
  void* data = nullptr;
  if (isTypedArray) check(env, napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr), "typed array info");
  if (!isTypedArray || type != napi_uint32_array) throwType(env, std::string("expected ") + name + " to be a Uint32Array");
  OffsetList list{static_cast<const std::uint32_t*>(data), static_cast<std::int64_t>(length), 0};
  for (std::int64_t i = 0; i < list.length; ++i) list.largest = std::max<std::int64_t>(list.largest, list.values[i]);
  return list;
}

/** The float at byte `offset` of the buffer, after checking that `floats` floats from there fit inside it. */
inline float* floatsAt(napi_env env, std::uint8_t* base, std::int64_t bufferBytes, std::int64_t offset, std::int64_t floats,
                const char* name) {
  if (offset % 4 != 0) throwRange(env, std::string("expected ") + name + " to be a multiple of 4, got " + std::to_string(offset));
  if (offset + 4 * floats > bufferBytes) {
    throwRange(env, std::string(name) + " " + std::to_string(offset) + " + " + std::to_string(floats) +
                        " floats runs past the end of the buffer (" + std::to_string(bufferBytes) + " bytes)");
  }
  return reinterpret_cast<float*>(base + offset);
}

struct Memory {
  std::uint8_t* base;
  std::int64_t bytes;
};

inline evgap::Precision precisionArgument(napi_env env, napi_value value) {
  const std::int64_t code = count(env, value, "precision");
  if (code > 1) throwRange(env, "expected precision 0 (float32) or 1 (bf16), got " + std::to_string(code));
  return static_cast<evgap::Precision>(code);
}

inline Memory memoryArgument(napi_env env, napi_value value) {
  bool isArrayBuffer = false;
  check(env, napi_is_arraybuffer(env, value, &isArrayBuffer), "napi_is_arraybuffer");
  if (!isArrayBuffer) throwType(env, "expected memory to be an ArrayBuffer");
  void* data = nullptr;
  std::size_t byteLength = 0;
  check(env, napi_get_arraybuffer_info(env, value, &data, &byteLength), "napi_get_arraybuffer_info");
  return {static_cast<std::uint8_t*>(data), static_cast<std::int64_t>(byteLength)};
}

/** The arguments of a call, checked for their number. */
template <std::size_t Most>
struct Arguments {
  napi_value values[Most];
  std::size_t count = Most;
};

template <std::size_t Most>
Arguments<Most> arguments(napi_env env, napi_callback_info info, std::size_t least) {
  Arguments<Most> args;
  check(env, napi_get_cb_info(env, info, &args.count, args.values, nullptr, nullptr), "napi_get_cb_info");
  if (args.count < least || args.count > Most) {
    throwType(env, "expected " + (least == Most ? std::to_string(Most) : std::to_string(least) + " to " + std::to_string(Most)) +
                       (Most == 1 ? " argument, got " : " arguments, got ") + std::to_string(args.count));
  }
  return args;
}

}  // namespace evgap::napi
