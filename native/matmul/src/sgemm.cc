// A packed, cache-blocked matrix product in the structure of BLIS/GotoBLAS, in two phases on the thread pool:
// 1. every operand is packed ONCE into the microkernel's slivers (packing.h), slab by slab of the inner
//    dimension (kc ≤ depthBlock, split evenly), MR-tall slivers of A and NR-wide slivers of B, zero-padded at the
//    edges; batch entries that share an operand (broadcasting) share its packed copy;
// 2. C is cut into tasks of at most taskRows × taskColumns per batch entry (split evenly in whole slivers, no thin
//    leftover, as many as keep every thread busy to the end, the last ones in halves); a task sweeps its B slivers
//    (each stays in L1) against its A slivers (the block stays in L2), slab by slab.
// Packing once matters: when every task packed what it read (the earlier design), B was packed once per row task
// and A once per column task, which on the training's products cost as much time as the multiplications. An
// operand that only one task reads per slab (A when C has one column of tasks, B when it has one row of tasks) is
// packed by that task into its own buffer instead, which stays in L2: for a narrow product such as the demo
// encoder's input projection ([B·T, 2048] × [2048, 64]) that saves writing and re-reading a copy of the whole A.
// In bf16 precision the slivers hold bf16 pairs (rounded to nearest even while packing) and the AVX512_BF16
// kernel sums their products in float32.
#include "sgemm.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "microKernels.h"
#include "packing.h"
#include "simd.h"
#include "threadPool.h"

namespace evgap {
namespace {

constexpr std::int64_t depthBlock = 256;     // kc: one B sliver (kc × NR) streams through L1, an A block stays in L2
constexpr std::int64_t depthBlockBf16 = 512;  // the same bytes in bf16
constexpr std::int64_t taskRows = 240;       // multiple of every MR (4, 6, 12)
constexpr std::int64_t taskColumns = 512;    // multiple of every NR (16, 32)
constexpr std::int64_t packLines = 192;      // lines packed per packing task
constexpr double parallelFlops = 4e6;        // smaller products run on the caller: waking workers costs more

std::atomic<int> selected{static_cast<int>(bestInstructionSet())};

enum class Bf16Source { None, Cpuid, Probe };
std::atomic<int> bf16Source{static_cast<int>(cpuidReportsBf16() && bf16MicroKernel().run != nullptr ? Bf16Source::Cpuid : Bf16Source::None)};
std::atomic<bool> bf16Allowed{true};

/** 64-byte-aligned buffer that grows on demand. */
class ScratchBuffer {
 public:
  template <typename T>
  T* reserve(std::size_t count) {
    const std::size_t bytes = count * sizeof(T);
    if (bytes > capacity_) {
      storage_.reset(new unsigned char[bytes + 64]);
      capacity_ = bytes;
    }
    auto address = reinterpret_cast<std::uintptr_t>(storage_.get());
    return reinterpret_cast<T*>((address + 63) & ~static_cast<std::uintptr_t>(63));
  }

 private:
  std::unique_ptr<unsigned char[]> storage_;
  std::size_t capacity_ = 0;
};

/** The piece size that cuts `extent` into the fewest pieces of at most `most`, evenly, rounded up to `multiple`. */
std::int64_t evenSplit(std::int64_t extent, std::int64_t most, std::int64_t multiple) {
  if (extent <= 0) return multiple;
  const std::int64_t pieces = (extent + most - 1) / most;
  const std::int64_t size = (extent + pieces - 1) / pieces;
  return (size + multiple - 1) / multiple * multiple;
}

float activate(float x, const Epilogue& e, std::int64_t column) {
  switch (e.activation) {
    case Activation::Relu:
      return x < 0 ? 0 : x;
    case Activation::Relu6:
      return std::min(x < 0 ? 0.0f : x, 6.0f);
    case Activation::LeakyRelu:
      return x < 0 ? e.alpha * x : x;
    case Activation::Sigmoid:
      return 1.0f / (1.0f + std::exp(-x));
    case Activation::Elu:
      return x < 0 ? std::expm1(x) : x;
    case Activation::Prelu:
      return x < 0 ? e.preluWeights[e.preluLength == 1 ? 0 : column] * x : x;
    default:
      return x;
  }
}

// Compiled for AVX-512 and AVX2 too (the rest of this file is baseline x86-64): a Linear's bias and ReLU go over its
// whole output once more after the product.
EVGAP_VECTOR_CLONES
void applyEpilogue(const Epilogue& e, float* c, std::int64_t ldc, std::int64_t rows, std::int64_t firstColumn,
                   std::int64_t columns) {
  if (e.bias == nullptr && e.activation == Activation::Linear) return;
  for (std::int64_t i = 0; i < rows; ++i) {
    float* row = c + i * ldc;
    if (e.activation == Activation::Relu || e.activation == Activation::Linear) {
      // The common cases, each in a branch-free loop of its own that the compiler vectorizes (one loop with the
      // choices inside compiled to a branch per element, mispredicted on half of them: ReLU's epilogue cost as
      // much as half the bf16 product itself on a [1344, 2048] output).
      float* __restrict out = row;
      const bool perColumn = e.bias != nullptr && e.biasLength != 1;
      const float shared = e.bias != nullptr && !perColumn ? e.bias[0] : 0.0f;
      const float* __restrict bias = perColumn ? e.bias + firstColumn : nullptr;
      if (e.activation == Activation::Relu) {
        if (perColumn) {
          for (std::int64_t j = 0; j < columns; ++j) {
            const float value = out[j] + bias[j];
            out[j] = value < 0.0f ? 0.0f : value;
          }
        } else {
          for (std::int64_t j = 0; j < columns; ++j) {
            const float value = out[j] + shared;
            out[j] = value < 0.0f ? 0.0f : value;
          }
        }
      } else if (perColumn) {
        for (std::int64_t j = 0; j < columns; ++j) out[j] += bias[j];
      } else {
        for (std::int64_t j = 0; j < columns; ++j) out[j] += shared;
      }
      continue;
    }
    for (std::int64_t j = 0; j < columns; ++j) {
      const std::int64_t column = firstColumn + j;
      float value = row[j];
      if (e.bias != nullptr) value += e.bias[e.biasLength == 1 ? 0 : column];
      row[j] = activate(value, e, column);
    }
  }
}

/** Distinct batch offsets of an operand, and which one each batch entry uses (broadcast operands pack once). */
struct DistinctOperands {
  std::vector<std::uint32_t> offsets;  // one per packed copy
  std::vector<std::int64_t> copyOf;    // per batch entry
};

DistinctOperands distinct(const std::uint32_t* offsets, std::int64_t batch) {
  DistinctOperands result;
  result.copyOf.resize(static_cast<std::size_t>(batch));
  std::map<std::uint32_t, std::int64_t> seen;
  for (std::int64_t entry = 0; entry < batch; ++entry) {
    auto [found, inserted] = seen.emplace(offsets[entry], static_cast<std::int64_t>(result.offsets.size()));
    if (inserted) result.offsets.push_back(offsets[entry]);
    result.copyOf[static_cast<std::size_t>(entry)] = found->second;
  }
  return result;
}

/**
 * The product with packed element type `Packed` (float, or bf16 as uint16): sizes, slabs and the packed copies.
 * `Kernel` has mr, nr and run(depthUnits, a, b, c, ldc, accumulate), where a depth unit is one step (float) or
 * one pair of steps (bf16).
 */
template <typename Packed, typename Kernel>
class PackedProduct {
 public:
  PackedProduct(const BatchedProduct& p, const Kernel& kernel, std::int64_t slabDepth, bool parallel, ScratchBuffer& aBuffer,
                ScratchBuffer& bBuffer)
      : p_(p), kernel_(kernel), slabDepth_(slabDepth) {
    ldc_ = p.ldc == 0 ? p.n : p.ldc;
    cBatchStride_ = p.cBatchStride == 0 ? p.m * ldc_ : p.cBatchStride;
    paddedRows_ = (p.m + kernel.mr - 1) / kernel.mr * kernel.mr;
    paddedColumns_ = (p.n + kernel.nr - 1) / kernel.nr * kernel.nr;
    slabs_ = p.k == 0 ? 0 : (p.k + slabDepth - 1) / slabDepth;
    packedDepth_ = paddedDepth(p.k);
    // Tasks of at most taskRows × taskColumns, the rows cut into pieces of whole slivers as equal as can be; where
    // that leaves fewer than four tasks per thread (a narrow product such as a convolution's [T, Cin] × [Cin,
    // k·Cout]), rows are split further so the threads finish together; and then into a few more pieces where that
    // makes the tasks a multiple of the threads: a [2048, 512] weight gradient in 9 tasks ran 5 on one of 2 threads.
    tileColumns_ = evenSplit(p.n, taskColumns, kernel.nr);
    rowSlivers_ = (p.m + kernel.mr - 1) / kernel.mr;
    rowPieces_ = std::min(rowSlivers_, std::max<std::int64_t>(1, (p.m + taskRows - 1) / taskRows));  // 0 when m is 0
    const std::int64_t columnTiles = (p.n + tileColumns_ - 1) / tileColumns_;
    const std::int64_t threads = sharedPool().threads();
    while (rowPieces_ > 0 && p.batch * rowPieces_ * columnTiles < 4 * threads && 2 * rowPieces_ * 4 <= rowSlivers_) rowPieces_ *= 2;
    for (std::int64_t pieces = rowPieces_; pieces <= std::min(2 * rowPieces_, rowSlivers_); ++pieces) {
      if (p.batch * pieces * columnTiles % threads == 0) {
        rowPieces_ = pieces;
        break;
      }
    }
    aCopies_ = distinct(p.aOffsets, p.batch);
    bCopies_ = distinct(p.bOffsets, p.batch);
    localA_ = columnTiles == 1 && static_cast<std::int64_t>(aCopies_.offsets.size()) == p.batch;
    localB_ = rowPieces_ == 1 && static_cast<std::int64_t>(bCopies_.offsets.size()) == p.batch;
    // The last tile each thread takes is split into two halves of its columns, so that a thread finishing first
    // waits at most half a tile for the others: waiting for the last whole tile left a paper step's products 4 %
    // of their threads' time idle. (Not where each task packs its rows of A itself: both halves would pack them.)
    tiles_ = p.batch * rowPieces_ * columnTiles;
    if (parallel && !localA_ && tiles_ >= 2 * threads && tileColumns_ >= 2 * kernel.nr) splitTiles_ = threads;
    if (!localA_) packedA_ = aBuffer.reserve<Packed>(static_cast<std::size_t>(aCopies_.offsets.size() * paddedRows_ * packedDepth_));
    if (!localB_) packedB_ = bBuffer.reserve<Packed>(static_cast<std::size_t>(bCopies_.offsets.size() * paddedColumns_ * packedDepth_));
  }

  /** Packing tasks: for each shared packed A, then B, each slab, a range of at most packLines lines. */
  std::int64_t packTasks() const { return aPackTasks() + bPackTasks(); }

  void pack(std::int64_t index) const {
    const std::int64_t aTasks = aPackTasks();
    const bool isA = index < aTasks;
    if (!isA) index -= aTasks;
    const std::int64_t chunks = isA ? aChunks() : bChunks();
    const std::int64_t copy = index / (slabs_ * chunks);
    const std::int64_t slab = (index / chunks) % slabs_;
    const std::int64_t chunk = index % chunks;
    const std::int64_t p0 = slab * slabDepth_;
    const std::int64_t depth = std::min(slabDepth_, p_.k - p0);
    const std::int64_t line0 = chunk * linesPerChunk();
    const std::int64_t extent = std::min(linesPerChunk(), (isA ? p_.m : p_.n) - line0);
    const std::int64_t padded = isA ? paddedRows_ : paddedColumns_;
    Packed* target = (isA ? packedA_ : packedB_) + copy * padded * packedDepth_ + padded * paddedDepth(p0) + line0 * paddedDepth(depth);
    packLinesOf(isA, isA ? aCopies_.offsets[static_cast<std::size_t>(copy)] : bCopies_.offsets[static_cast<std::size_t>(copy)], line0, p0,
                extent, depth, target);
  }

  std::int64_t tileColumns() const { return tileColumns_; }
  std::int64_t computeTasks() const { return tiles_ + splitTiles_; }

  void compute(std::int64_t index, ScratchBuffer& edgeBuffer, ScratchBuffer& localABuffer, ScratchBuffer& localBBuffer) const {
    // Task → tile, and the columns of it: all of them, or one half of one of the last splitTiles_ tiles.
    std::int64_t tileIndex = index;
    std::int64_t firstColumn = 0;
    std::int64_t columnLimit = tileColumns();
    const std::int64_t wholeTiles = tiles_ - splitTiles_;
    if (index >= wholeTiles) {
      tileIndex = wholeTiles + (index - wholeTiles) / 2;
      const std::int64_t half = (index - wholeTiles) % 2;
      const std::int64_t firstHalf = (tileColumns() / 2 + kernel_.nr - 1) / kernel_.nr * kernel_.nr;
      firstColumn = half * firstHalf;
      columnLimit = half == 0 ? firstHalf : tileColumns() - firstHalf;
    }
    const std::int64_t columnTiles = (p_.n + tileColumns() - 1) / tileColumns();
    const std::int64_t tilesPerEntry = rowPieces_ * columnTiles;
    const std::int64_t entry = tileIndex / tilesPerEntry;
    const std::int64_t tile = tileIndex % tilesPerEntry;
    const std::int64_t piece = tile / columnTiles;
    const std::int64_t row0 = piece * rowSlivers_ / rowPieces_ * kernel_.mr;
    const std::int64_t col0 = (tile % columnTiles) * tileColumns() + firstColumn;
    const std::int64_t rows = std::min((piece + 1) * rowSlivers_ / rowPieces_ * kernel_.mr, p_.m) - row0;
    const std::int64_t columns = std::min(columnLimit, p_.n - col0);
    if (columns <= 0) return;  // the second half of a narrow last tile
    float* c = p_.c + entry * cBatchStride_ + row0 * ldc_ + col0;
    if (p_.k == 0 && !p_.accumulate) {
      for (std::int64_t i = 0; i < rows; ++i) std::fill(c + i * ldc_, c + i * ldc_ + columns, 0.0f);
    }
    const std::int64_t aCopy = aCopies_.copyOf[static_cast<std::size_t>(entry)];
    const std::int64_t bCopy = bCopies_.copyOf[static_cast<std::size_t>(entry)];
    const int mr = kernel_.mr;
    const int nr = kernel_.nr;
    float* edgeTile = edgeBuffer.reserve<float>(static_cast<std::size_t>(mr * nr));
    const std::int64_t slabFloats = paddedDepth(slabDepth_);
    Packed* localA = localA_ ? localABuffer.reserve<Packed>(static_cast<std::size_t>((rows + mr - 1) / mr * mr * slabFloats)) : nullptr;
    Packed* localB = localB_ ? localBBuffer.reserve<Packed>(static_cast<std::size_t>((columns + nr - 1) / nr * nr * slabFloats)) : nullptr;
    for (std::int64_t slab = 0; slab < slabs_; ++slab) {
      const std::int64_t p0 = slab * slabDepth_;
      const std::int64_t rawDepth = std::min(slabDepth_, p_.k - p0);
      const std::int64_t depth = paddedDepth(rawDepth);
      const std::int64_t units = sizeof(Packed) == 4 ? depth : depth / 2;
      // This task's slivers of the slab: in the shared packed copies, or packed now into the task's own buffers.
      const Packed* aSlab;
      if (localA_) {
        packLinesOf(true, aCopies_.offsets[static_cast<std::size_t>(aCopy)], row0, p0, rows, rawDepth, localA);
        aSlab = localA;
      } else {
        aSlab = packedA_ + aCopy * paddedRows_ * packedDepth_ + paddedRows_ * paddedDepth(p0) + row0 * depth;
      }
      const Packed* bSlab;
      if (localB_) {
        packLinesOf(false, bCopies_.offsets[static_cast<std::size_t>(bCopy)], col0, p0, columns, rawDepth, localB);
        bSlab = localB;
      } else {
        bSlab = packedB_ + bCopy * paddedColumns_ * packedDepth_ + paddedColumns_ * paddedDepth(p0) + col0 * depth;
      }
      const bool accumulate = p_.accumulate || slab > 0;
      for (std::int64_t j = 0; j < columns; j += nr) {
        const Packed* bSliver = bSlab + j * depth;
        const std::int64_t validColumns = std::min<std::int64_t>(nr, columns - j);
        for (std::int64_t i = 0; i < rows; i += mr) {
          const Packed* aSliver = aSlab + i * depth;
          const std::int64_t validRows = std::min<std::int64_t>(mr, rows - i);
          float* cTile = c + i * ldc_ + j;
          if (validRows == mr && validColumns == nr) {
            kernel_.run(units, aSliver, bSliver, cTile, ldc_, accumulate);
            continue;
          }
          kernel_.run(units, aSliver, bSliver, edgeTile, nr, false);
          for (std::int64_t r = 0; r < validRows; ++r) {
            for (std::int64_t col = 0; col < validColumns; ++col) {
              const float value = edgeTile[r * nr + col];
              cTile[r * ldc_ + col] = accumulate ? cTile[r * ldc_ + col] + value : value;
            }
          }
        }
      }
    }
    applyEpilogue(p_.epilogue, c, ldc_, rows, col0, columns);
  }

 private:
  /** Depth steps as packed: bf16 pairs pad an odd depth (slabs start at even depths, slabDepth being even). */
  std::int64_t paddedDepth(std::int64_t depth) const { return sizeof(Packed) == 4 ? depth : (depth + 1) / 2 * 2; }
  std::int64_t linesPerChunk() const { return packLines; }
  std::int64_t aChunks() const { return (p_.m + packLines - 1) / packLines; }
  std::int64_t bChunks() const { return (p_.n + packLines - 1) / packLines; }
  std::int64_t aPackTasks() const { return localA_ ? 0 : slabs_ * static_cast<std::int64_t>(aCopies_.offsets.size()) * aChunks(); }
  std::int64_t bPackTasks() const { return localB_ ? 0 : slabs_ * static_cast<std::int64_t>(bCopies_.offsets.size()) * bChunks(); }

  /** Packs `extent` lines (rows of A or columns of B) from line0, depth steps [p0, p0 + depth), as slivers. */
  void packLinesOf(bool isA, std::uint32_t offset, std::int64_t line0, std::int64_t p0, std::int64_t extent, std::int64_t depth,
                   Packed* target) const {
    const float* source;
    std::int64_t lineStride;
    std::int64_t depthStride;
    if (isA) {
      source = p_.a + offset + line0 * p_.aRowStride + p0 * p_.aColStride;
      lineStride = p_.aRowStride;
      depthStride = p_.aColStride;
    } else {
      source = p_.b + offset + line0 * p_.bColStride + p0 * p_.bRowStride;
      lineStride = p_.bColStride;
      depthStride = p_.bRowStride;
    }
    const int width = isA ? kernel_.mr : kernel_.nr;
    if constexpr (sizeof(Packed) == 4) {
      packSlivers(source, lineStride, depthStride, extent, depth, width, target);
    } else {
      packSliversBf16(source, lineStride, depthStride, extent, depth, width, target);
    }
  }

  const BatchedProduct& p_;
  const Kernel& kernel_;
  std::int64_t slabDepth_;
  std::int64_t ldc_ = 0, cBatchStride_ = 0;
  std::int64_t rowSlivers_ = 0, rowPieces_ = 0;  // piece i: row slivers [i·rowSlivers/rowPieces, (i+1)·rowSlivers/rowPieces)
  std::int64_t tileColumns_ = 0;
  std::int64_t tiles_ = 0, splitTiles_ = 0;  // tiles of C, and how many of the last ones run as two tasks
  bool localA_ = false, localB_ = false;
  std::int64_t paddedRows_ = 0, paddedColumns_ = 0, slabs_ = 0, packedDepth_ = 0;
  DistinctOperands aCopies_, bCopies_;
  Packed* packedA_ = nullptr;
  Packed* packedB_ = nullptr;
};

/** Adapters giving both microkernel kinds one call shape for PackedProduct. */
struct Fp32Kernel {
  int mr, nr;
  MicroKernel kernel;
  void run(std::int64_t units, const float* a, const float* b, float* c, std::int64_t ldc, bool accumulate) const {
    kernel.run(units, a, b, c, ldc, accumulate);
  }
};
struct Bf16Kernel {
  int mr, nr;
  Bf16MicroKernel kernel;
  void run(std::int64_t units, const std::uint16_t* a, const std::uint16_t* b, float* c, std::int64_t ldc, bool accumulate) const {
    kernel.run(units, a, b, c, ldc, accumulate);
  }
};

template <typename Packed, typename Kernel>
void runProduct(const BatchedProduct& p, const Kernel& kernel, std::int64_t slabDepth) {
  // The packed operands belong to the calling thread; the pool's workers only read them during this call.
  thread_local ScratchBuffer aBuffer, bBuffer;
  const double flops = 2.0 * static_cast<double>(p.batch) * static_cast<double>(p.m) * static_cast<double>(p.n) *
                       static_cast<double>(p.k);
  const bool parallel = flops >= parallelFlops;
  const PackedProduct<Packed, Kernel> product(p, kernel, slabDepth, parallel, aBuffer, bBuffer);
  // Packing and computing are one call of the pool: its counter hands out every packing task before the first
  // computing task, and a thread that draws a computing task first waits for the packing tasks still running on
  // others (at most one each, a few tens of microseconds). Two calls made the workers sleep and wake between the
  // phases: 4 % of the products' thread time was idle in a paper step, much of it there.
  const std::int64_t packTasks = product.packTasks();
  std::atomic<std::int64_t> packed{0};
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    if (index < packTasks) {
      product.pack(index);
      packed.fetch_add(1, std::memory_order_release);
      return;
    }
    while (packed.load(std::memory_order_acquire) < packTasks) std::this_thread::yield();
    thread_local ScratchBuffer edge, localA, localB;
    product.compute(index - packTasks, edge, localA, localB);
  };
  sharedPool().run(packTasks + product.computeTasks(), task, parallel);
}

bool bf16Enabled() { return bf16Allowed.load() && static_cast<Bf16Source>(bf16Source.load()) != Bf16Source::None; }

int threadsFromEnvironment() {
  const char* configured = std::getenv("EVGAP_MATMUL_THREADS");
  if (configured != nullptr) {
    const int value = std::atoi(configured);
    if (value >= 1) return value;
  }
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware == 0 ? 1 : static_cast<int>(hardware);
}

}  // namespace

ThreadPool& sharedPool() {
  // Never destroyed: workers parked at process exit are simply ended with it, and no static destructor can run
  // while a Node worker thread still uses the pool.
  static ThreadPool* instance = new ThreadPool(threadsFromEnvironment());
  return *instance;
}

bool selectInstructionSet(InstructionSet set) {
  if (!isSupported(set)) return false;
  selected.store(static_cast<int>(set));
  return true;
}

InstructionSet selectedInstructionSet() { return static_cast<InstructionSet>(selected.load()); }

Bf16Status bf16Status() {
  if (!bf16Allowed.load()) return {false, "switched off"};
  switch (static_cast<Bf16Source>(bf16Source.load())) {
    case Bf16Source::Cpuid:
      return {true, "cpuid"};
    case Bf16Source::Probe:
      return {true, "probe"};
    default:
      break;
  }
  if (bf16MicroKernel().run == nullptr) return {false, "the addon was compiled without AVX512_BF16 support"};
  if (!isSupported(InstructionSet::Avx512)) return {false, "AVX-512 not available"};
  return {false, "AVX512_BF16 not reported by CPUID"};
}

Bf16Status probeBf16() {
  static std::once_flag probed;
  std::call_once(probed, [] {
    if (static_cast<Bf16Source>(bf16Source.load()) != Bf16Source::None) return;
    if (bf16MicroKernel().run == nullptr || !isSupported(InstructionSet::Avx512)) return;
    if (runsWithoutIllegalInstruction(bf16KernelComputesCorrectly)) bf16Source.store(static_cast<int>(Bf16Source::Probe));
  });
  const Bf16Status status = bf16Status();
  if (!status.enabled && bf16Allowed.load() && isSupported(InstructionSet::Avx512) && bf16MicroKernel().run != nullptr) {
    return {false, "AVX512_BF16 not reported by CPUID, and vdpbf16ps failed when probed"};
  }
  return status;
}

void setBf16Allowed(bool allowed) { bf16Allowed.store(allowed); }

int poolThreads() { return sharedPool().threads(); }

void batchedProduct(const BatchedProduct& p) {
  if (p.batch == 0 || p.m == 0 || p.n == 0) return;
  if (p.precision == Precision::Bf16 && bf16Enabled()) {
    const Bf16MicroKernel micro = bf16MicroKernel();
    const Bf16Kernel kernel{micro.mr, micro.nr, micro};
    runProduct<std::uint16_t>(p, kernel, evenSplit(p.k, depthBlockBf16, 2));
    return;
  }
  const MicroKernel micro = microKernelFor(selectedInstructionSet());
  const Fp32Kernel kernel{micro.mr, micro.nr, micro};
  runProduct<float>(p, kernel, evenSplit(p.k, depthBlock, 1));
}

}  // namespace evgap
