// Bit-for-bit check of the AVX-512 bf16 sliver packers (AVX512_BF16's conversions) against the scalar ones, the
// reference (native/matmul/src/packing.cc, included whole so that its file-local functions can be called): random
// floats with NaNs, infinities, denormals, rounding ties and values that round up to infinity, odd and even depths,
// every sliver width the kernels use and some they do not, partial slivers, several slivers at once (the
// width-contiguous packer reads row pairs across all of them), line and row strides with gaps. Built and run by
// bf16Packing.test.ts; prints "<cases> cases, <mismatches> mismatches" and exits 1 on any mismatch, 2 where CPUID
// does not report AVX512_BF16.
#include "../../native/matmul/src/packing.cc"

#include <cstdio>
#include <random>
#include <vector>

int main() {
  using namespace evgap;
  if (!cpuidReportsBf16()) {
    std::puts("CPUID does not report AVX512_BF16");
    return 2;
  }
  std::mt19937 random(1);
  const int widths[] = {12, 32, 16, 8, 5};
  int cases = 0, mismatches = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const int width = widths[trial % 5];
    const int depth = 1 + static_cast<int>(random() % 70);
    const int valid = 1 + static_cast<int>(random() % width);                  // lines of the one sliver (layout 0)
    const int extent = 1 + static_cast<int>(random() % (3 * width));          // lines of up to three slivers (layout 1)
    const int slivers = (extent + width - 1) / width;
    const int lineStride = depth + static_cast<int>(random() % 5);            // lines along the depth (row-major A)
    const int rowStride = slivers * width + static_cast<int>(random() % 7);  // rows across the slivers (row-major B)
    std::vector<float> source(std::max<std::size_t>(std::size_t(valid) * lineStride, std::size_t(depth) * rowStride) + 64);
    for (float& value : source) {
      std::uint32_t bits = random();
      switch (random() % 10) {
        case 0: bits = 0x7fc00000u | (random() & 0xffffu) | (random() & 1u) << 31; break;  // NaN
        case 1: bits &= 0x807fffffu; break;                                                // denormal
        case 2: bits = (bits & 0xffff0000u) | 0x8000u; break;                              // a tie
        case 3: bits = 0x7f800000u | (random() & 1u) << 31; break;                         // ±infinity
        case 4: bits = 0x7f7fffffu; break;                                                 // rounds up to infinity
        default: break;
      }
      std::memcpy(&value, &bits, sizeof bits);
    }
    const std::size_t sliverSize = std::size_t((depth + 1) / 2) * 2 * width;
    for (int layout = 0; layout < 2; ++layout) {
      const std::size_t size = sliverSize * (layout == 0 ? 1 : slivers);
      std::vector<std::uint16_t> scalar(size, 0xaaaa), vector(size, 0x5555);  // different fill: every slot must be written
      if (layout == 0) {
        packDepthContiguousBf16(source.data(), lineStride, depth, valid, width, scalar.data());
        packDepthContiguousBf16Avx512(source.data(), lineStride, depth, valid, width, vector.data());
      } else {
        for (int sliver = 0; sliver < slivers; ++sliver) {
          packWidthContiguousBf16(source.data() + sliver * width, rowStride, depth, std::min(width, extent - sliver * width), width,
                                  scalar.data() + sliver * sliverSize);
        }
        packWidthContiguousBf16Avx512(source.data(), rowStride, depth, extent, width, vector.data());
      }
      ++cases;
      if (scalar != vector) {
        if (mismatches < 5) std::printf("mismatch: layout %d, width %d, depth %d, valid %d, extent %d\n", layout, width, depth, valid, extent);
        ++mismatches;
      }
    }
  }
  std::printf("%d cases, %d mismatches\n", cases, mismatches);
  return mismatches == 0 ? 0 : 1;
}
