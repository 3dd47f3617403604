// A packed, cache-blocked SGEMM in the structure of BLIS/GotoBLAS: for each kc-deep slab of the inner dimension, B
// is packed into NR-wide slivers and A into MR-tall slivers (zero-padded at the edges), and the microkernel sweeps
// them while they sit in cache. The work is cut into tasks of at most taskRows × taskColumns of C per batch entry,
// and the inner dimension into slabs of at most depthBlock, all split evenly (no thin leftover task or slab);
// each task packs what it reads itself (repacked bytes are ~1/(2·taskRows) of its FLOPs), so tasks are
// independent and the thread pool just hands them out.
#include "sgemm.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>

#include "microKernels.h"
#include "threadPool.h"

namespace evgap {
namespace {

constexpr std::int64_t depthBlock = 256;    // kc: one B sliver (kc × NR) and one A sliver stream through L1, an A block stays in L2
constexpr std::int64_t taskRows = 240;      // multiple of every MR (4, 6, 12)
constexpr std::int64_t taskColumns = 512;   // multiple of every NR (16, 32)
constexpr double parallelFlops = 4e6;       // smaller products run on the caller: waking workers costs more

std::atomic<int> selected{static_cast<int>(bestInstructionSet())};

/** 64-byte-aligned float buffer that grows on demand, one per thread. */
class ScratchBuffer {
 public:
  float* reserve(std::size_t floats) {
    if (floats > capacity_) {
      storage_.reset(new float[floats + 16]);
      capacity_ = floats;
    }
    auto address = reinterpret_cast<std::uintptr_t>(storage_.get());
    return reinterpret_cast<float*>((address + 63) & ~static_cast<std::uintptr_t>(63));
  }

 private:
  std::unique_ptr<float[]> storage_;
  std::size_t capacity_ = 0;
};

struct Scratch {
  ScratchBuffer a, b, tile;
};

/**
 * One sliver whose source lines run along the depth: out[p·width + c] = source[c·lineStride + p] for c < valid,
 * 0 for valid ≤ c < width. Eight depth steps at a time, so that each source line is read in 32-byte pieces while
 * the writes stay within a few cache lines of the sliver.
 */
void packDepthContiguous(const float* source, std::int64_t lineStride, std::int64_t depth, std::int64_t valid, int width,
                         float* out) {
  constexpr std::int64_t step = 8;
  std::int64_t p0 = 0;
  for (; p0 + step <= depth; p0 += step) {
    for (std::int64_t c = 0; c < valid; ++c) {
      const float* line = source + c * lineStride + p0;
      float* target = out + p0 * width + c;
      for (std::int64_t i = 0; i < step; ++i) target[i * width] = line[i];
    }
  }
  for (; p0 < depth; ++p0) {
    for (std::int64_t c = 0; c < valid; ++c) out[p0 * width + c] = source[c * lineStride + p0];
  }
  for (std::int64_t c = valid; c < width; ++c) {
    for (std::int64_t p = 0; p < depth; ++p) out[p * width + c] = 0;
  }
}

/** One sliver whose source rows run across it: out[p·width + c] = source[p·rowStride + c], zero-padded. */
void packWidthContiguous(const float* source, std::int64_t rowStride, std::int64_t depth, std::int64_t valid, int width,
                         float* out) {
  for (std::int64_t p = 0; p < depth; ++p) {
    const float* row = source + p * rowStride;
    float* target = out + p * width;
    if (valid == width) {
      for (int c = 0; c < width; ++c) target[c] = row[c];
    } else {
      for (std::int64_t c = 0; c < width; ++c) target[c] = c < valid ? row[c] : 0.0f;
    }
  }
}

/**
 * `extent` lines (rows of A or columns of B) × `depth` of an operand as `width`-wide slivers,
 * out[sliver][p·width + c] = element (line sliver·width + c, depth p), where that element is at
 * source[line·lineStride + p·depthStride]; zero-padded past the last line.
 */
void packSlivers(const float* source, std::int64_t lineStride, std::int64_t depthStride, std::int64_t extent,
                 std::int64_t depth, int width, float* out) {
  for (std::int64_t first = 0; first < extent; first += width) {
    const std::int64_t valid = std::min<std::int64_t>(width, extent - first);
    const float* lines = source + first * lineStride;
    if (depthStride == 1) {
      packDepthContiguous(lines, lineStride, depth, valid, width, out);
    } else {
      packWidthContiguous(lines, depthStride, depth, valid, width, out);
    }
    out += depth * width;
  }
}

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

void applyEpilogue(const Epilogue& e, float* c, std::int64_t ldc, std::int64_t rows, std::int64_t firstColumn,
                   std::int64_t columns) {
  if (e.bias == nullptr && e.activation == Activation::Linear) return;
  for (std::int64_t i = 0; i < rows; ++i) {
    float* row = c + i * ldc;
    for (std::int64_t j = 0; j < columns; ++j) {
      const std::int64_t column = firstColumn + j;
      float value = row[j];
      if (e.bias != nullptr) value += e.bias[e.biasLength == 1 ? 0 : column];
      row[j] = activate(value, e, column);
    }
  }
}

/** C rows [row0, row0 + rows) × columns [col0, col0 + columns) of batch entry `entry`. */
void computeTile(const BatchedProduct& p, const MicroKernel& kernel, std::int64_t entry, std::int64_t row0,
                 std::int64_t rows, std::int64_t col0, std::int64_t columns, Scratch& scratch) {
  const float* a = p.a + p.aOffsets[entry] + row0 * p.aRowStride;
  const float* b = p.b + p.bOffsets[entry] + col0 * p.bColStride;
  float* c = p.c + entry * p.m * p.n + row0 * p.n + col0;
  const std::int64_t ldc = p.n;
  if (p.k == 0) {
    for (std::int64_t i = 0; i < rows; ++i) std::fill(c + i * ldc, c + i * ldc + columns, 0.0f);
  }
  const int mr = kernel.mr;
  const int nr = kernel.nr;
  const std::int64_t paddedRows = (rows + mr - 1) / mr * mr;
  const std::int64_t paddedColumns = (columns + nr - 1) / nr * nr;
  const std::int64_t slabDepth = evenSplit(p.k, depthBlock, 1);
  float* packedA = scratch.a.reserve(static_cast<std::size_t>(paddedRows * slabDepth));
  float* packedB = scratch.b.reserve(static_cast<std::size_t>(paddedColumns * slabDepth));
  float* edgeTile = scratch.tile.reserve(static_cast<std::size_t>(mr * nr));
  for (std::int64_t p0 = 0; p0 < p.k; p0 += slabDepth) {
    const std::int64_t depth = std::min(slabDepth, p.k - p0);
    const bool accumulate = p0 > 0;
    packSlivers(b + p0 * p.bRowStride, p.bColStride, p.bRowStride, columns, depth, nr, packedB);
    packSlivers(a + p0 * p.aColStride, p.aRowStride, p.aColStride, rows, depth, mr, packedA);
    for (std::int64_t j = 0; j < columns; j += nr) {
      const float* bSliver = packedB + j * depth;
      const std::int64_t validColumns = std::min<std::int64_t>(nr, columns - j);
      for (std::int64_t i = 0; i < rows; i += mr) {
        const float* aSliver = packedA + i * depth;
        const std::int64_t validRows = std::min<std::int64_t>(mr, rows - i);
        float* cTile = c + i * ldc + j;
        if (validRows == mr && validColumns == nr) {
          kernel.run(depth, aSliver, bSliver, cTile, ldc, accumulate);
          continue;
        }
        kernel.run(depth, aSliver, bSliver, edgeTile, nr, false);
        for (std::int64_t r = 0; r < validRows; ++r) {
          for (std::int64_t col = 0; col < validColumns; ++col) {
            const float value = edgeTile[r * nr + col];
            cTile[r * ldc + col] = accumulate ? cTile[r * ldc + col] + value : value;
          }
        }
      }
    }
  }
  applyEpilogue(p.epilogue, c, ldc, rows, col0, columns);
}

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

int poolThreads() { return sharedPool().threads(); }

void batchedProduct(const BatchedProduct& p) {
  if (p.batch == 0 || p.m == 0 || p.n == 0) return;
  const MicroKernel kernel = microKernelFor(selectedInstructionSet());
  const std::int64_t tileRows = evenSplit(p.m, taskRows, kernel.mr);
  const std::int64_t tileColumns = evenSplit(p.n, taskColumns, kernel.nr);
  const std::int64_t rowTiles = (p.m + tileRows - 1) / tileRows;
  const std::int64_t columnTiles = (p.n + tileColumns - 1) / tileColumns;
  const std::int64_t tilesPerEntry = rowTiles * columnTiles;
  const double flops = 2.0 * static_cast<double>(p.batch) * static_cast<double>(p.m) * static_cast<double>(p.n) *
                       static_cast<double>(p.k);
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    thread_local Scratch scratch;
    const std::int64_t entry = index / tilesPerEntry;
    const std::int64_t tile = index % tilesPerEntry;
    const std::int64_t row0 = (tile / columnTiles) * tileRows;
    const std::int64_t col0 = (tile % columnTiles) * tileColumns;
    computeTile(p, kernel, entry, row0, std::min(tileRows, p.m - row0), col0, std::min(tileColumns, p.n - col0), scratch);
  };
  sharedPool().run(p.batch * tilesPerEntry, task, flops >= parallelFlops);
}

}  // namespace evgap
