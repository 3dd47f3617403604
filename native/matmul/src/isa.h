// What a source file needs to write kernels for one instruction set beside portable code: EVGAP_X86 where x86-64
// intrinsics exist (and <immintrin.h>), and EVGAP_TARGET(isa) to compile one function for an instruction set the
// rest of the file is not compiled for (called only after cpuFeatures.h's isSupported says the CPU has it).
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
