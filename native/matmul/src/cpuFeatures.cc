// CPUID/XGETBV feature detection: a vector unit counts only when the CPU has it AND the operating system saves its
// registers on a context switch (XCR0), which is what makes AVX-512 unusable on some virtual machines.
#include "cpuFeatures.h"

#if defined(__x86_64__) || defined(_M_X64)
#define EVGAP_X86 1
#if defined(_MSC_VER)
#include <immintrin.h>
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

#if defined(_WIN32)
#include <windows.h>
#elif defined(__unix__) || defined(__APPLE__)
#define EVGAP_POSIX_SIGNALS 1
#include <csetjmp>
#include <csignal>
#endif

namespace evgap {

#if defined(EVGAP_X86)
namespace {

struct CpuidRegisters {
  unsigned eax, ebx, ecx, edx;
};

CpuidRegisters cpuid(unsigned leaf, unsigned subleaf) {
  CpuidRegisters r{};
#if defined(_MSC_VER)
  int values[4];
  __cpuidex(values, static_cast<int>(leaf), static_cast<int>(subleaf));
  r = {static_cast<unsigned>(values[0]), static_cast<unsigned>(values[1]), static_cast<unsigned>(values[2]),
       static_cast<unsigned>(values[3])};
#else
  __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
#endif
  return r;
}

unsigned long long enabledRegisterStates() {
#if defined(_MSC_VER)
  return _xgetbv(0);
#else
  unsigned eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
#endif
}

struct Features {
  bool avx2Fma = false;
  bool avx512 = false;
  bool avx512Bf16 = false;
};

Features detect() {
  Features features;
  if (cpuid(0, 0).eax < 7) return features;
  const CpuidRegisters leaf1 = cpuid(1, 0);
  const bool osxsave = (leaf1.ecx >> 27) & 1;
  const bool fma = (leaf1.ecx >> 12) & 1;
  const bool avx = (leaf1.ecx >> 28) & 1;
  if (!osxsave || !avx) return features;
  const unsigned long long xcr0 = enabledRegisterStates();
  const bool ymmSaved = (xcr0 & 0x6) == 0x6;            // SSE and AVX state
  const bool zmmSaved = ymmSaved && (xcr0 & 0xe0) == 0xe0;  // opmask, ZMM0-15 upper halves, ZMM16-31
  const CpuidRegisters leaf7 = cpuid(7, 0);
  const bool avx2 = (leaf7.ebx >> 5) & 1;
  const bool avx512f = (leaf7.ebx >> 16) & 1;
  features.avx2Fma = ymmSaved && avx2 && fma;
  features.avx512 = features.avx2Fma && zmmSaved && avx512f;
  const bool subleaf1 = leaf7.eax >= 1;
  features.avx512Bf16 = features.avx512 && subleaf1 && ((cpuid(7, 1).eax >> 5) & 1);
  return features;
}

const Features& features() {
  static const Features detected = detect();
  return detected;
}

}  // namespace
#endif

bool isSupported(InstructionSet set) {
  switch (set) {
    case InstructionSet::Portable:
      return true;
#if defined(EVGAP_X86)
    case InstructionSet::Avx2Fma:
      return features().avx2Fma;
    case InstructionSet::Avx512:
      return features().avx512;
#endif
    default:
      return false;
  }
}

InstructionSet bestInstructionSet() {
  if (isSupported(InstructionSet::Avx512)) return InstructionSet::Avx512;
  if (isSupported(InstructionSet::Avx2Fma)) return InstructionSet::Avx2Fma;
  return InstructionSet::Portable;
}

bool cpuidReportsBf16() {
#if defined(EVGAP_X86)
  return features().avx512Bf16;
#else
  return false;
#endif
}

#if defined(EVGAP_POSIX_SIGNALS)
namespace {
thread_local sigjmp_buf* probeJump = nullptr;
extern "C" void onIllegalInstruction(int) { siglongjmp(*probeJump, 1); }
}  // namespace

bool runsWithoutIllegalInstruction(bool (*probe)()) {
  struct sigaction action {};
  struct sigaction previous {};
  action.sa_handler = onIllegalInstruction;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGILL, &action, &previous) != 0) return false;
  sigjmp_buf jump;
  probeJump = &jump;
  volatile bool result = false;
  if (sigsetjmp(jump, 1) == 0) result = probe();
  sigaction(SIGILL, &previous, nullptr);
  probeJump = nullptr;
  return result;
}
#elif defined(_WIN32) && defined(_MSC_VER)
bool runsWithoutIllegalInstruction(bool (*probe)()) {
  __try {
    return probe();
  } __except (GetExceptionCode() == EXCEPTION_ILLEGAL_INSTRUCTION ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_SEARCH) {
    return false;
  }
}
#else
bool runsWithoutIllegalInstruction(bool (*)()) { return false; }
#endif

const char* nameOf(InstructionSet set) {
  switch (set) {
    case InstructionSet::Avx512:
      return "avx512";
    case InstructionSet::Avx2Fma:
      return "avx2";
    default:
      return "portable";
  }
}

}  // namespace evgap
