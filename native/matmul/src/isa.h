// What a source file needs to write kernels for one instruction set beside portable code: EVGAP_X86 where x86-64
// intrinsics exist (and <immintrin.h>), EVGAP_BF16 where AVX512_BF16's can be compiled too, and EVGAP_TARGET(isa)
// to compile one function for an instruction set the rest of the file is not compiled for (called only after
// cpuFeatures.h's isSupported, or for AVX512_BF16 sgemm.h's bf16Status, says the CPU has it).
#pragma once

#if defined(__x86_64__) || defined(_M_X64)
#define EVGAP_X86 1
#include <immintrin.h>
#endif

#if defined(__GNUC__) || defined(__clang__)
#define EVGAP_TARGET(isa) __attribute__((target(isa)))
#else
#define EVGAP_TARGET(isa)
#endif

// EVGAP_BF16 where the compiler has AVX512_BF16's intrinsics and target attribute (GCC 10, clang 9, MSVC 2019).
#if defined(EVGAP_X86) && ((defined(__clang__) && __clang_major__ >= 9) || (!defined(__clang__) && defined(__GNUC__) && __GNUC__ >= 10) || defined(_MSC_VER))
#define EVGAP_BF16 1
#endif
