// Defines the fused training kernels' Node-API functions (addonFused.cc) on the addon's exports.
#pragma once

#include <node_api.h>

namespace evgap {

bool defineFusedFunctions(napi_env env, napi_value exports);

}  // namespace evgap
