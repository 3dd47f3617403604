{
  "targets": [
    {
      "target_name": "evgap_matmul",
      "sources": [
        "src/addon.cc",
        "src/addonFused.cc",
        "src/attention.cc",
        "src/batchNorm.cc",
        "src/cpuFeatures.cc",
        "src/elementwise.cc",
        "src/layerNorm.cc",
        "src/layoutKernels.cc",
        "src/microKernels.cc",
        "src/packing.cc",
        "src/sgemm.cc",
        "src/tapSum.cc",
        "src/threadPool.cc"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-O3", "-std=c++17", "-fexceptions", "-fopenmp-simd", "-DEVGAP_OPENMP_SIMD", "-ffp-contract=off", "-fno-math-errno"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
      "conditions": [
        ["OS=='linux'", { "ldflags": ["-pthread"], "cflags_cc": ["-pthread"] }],
        ["OS=='mac'", {
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "GCC_OPTIMIZATION_LEVEL": "3",
            "OTHER_CPLUSPLUSFLAGS": ["-fopenmp-simd", "-DEVGAP_OPENMP_SIMD", "-ffp-contract=off", "-fno-math-errno"],
            "MACOSX_DEPLOYMENT_TARGET": "11.0"
          }
        }],
        ["OS=='win'", {
          "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1, "Optimization": 2, "AdditionalOptions": ["/std:c++17"] } }
        }]
      ]
    }
  ]
}
