// Which vector instruction sets this CPU and its operating system let the addon use, asked at run time with CPUID
// and XGETBV, so that one binary built for plain x86-64 (or any other architecture) picks the fastest kernel here.
#pragma once

namespace evgap {

enum class InstructionSet { Portable = 0, Avx2Fma = 1, Avx512 = 2 };

/** The best instruction set usable here: AVX-512F, else AVX2 with FMA, else the portable C++ kernel. */
InstructionSet bestInstructionSet();

/** Whether `set` can run here (the portable kernel always can). */
bool isSupported(InstructionSet set);

const char* nameOf(InstructionSet set);

/** Whether CPUID reports AVX512_BF16 (vdpbf16ps) and the operating system saves the AVX-512 registers. */
bool cpuidReportsBf16();

/**
 * Runs `probe` with an illegal instruction caught (POSIX: SIGILL; Windows: structured exceptions): returns what
 * `probe` returned, or false if it executed an instruction this CPU lacks, or if catching is not possible here.
 * For instructions a hypervisor may hide from CPUID although the processor executes them.
 */
bool runsWithoutIllegalInstruction(bool (*probe)());

}  // namespace evgap
