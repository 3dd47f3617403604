// Transpose, slice, place and sum: see layoutKernels.h. The transpose first drops 1-sized axes and merges axes that stay
// neighbours, so most permutations become either copies of contiguous runs or batches of 2-D transposes, done in
// cache-sized tiles.
#include "layoutKernels.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include "sgemm.h"
#include "simd.h"
#include "threadPool.h"

namespace evgap {
namespace {

constexpr std::int64_t parallelElements = 1 << 16;  // fewer elements run on the caller
constexpr std::int64_t tile = 32;

struct Layout {
  std::vector<std::int64_t> outShape;
  std::vector<std::int64_t> inStride;  // input stride of each output axis
};

Layout simplify(const std::vector<std::int64_t>& shape, const std::vector<int>& perm) {
  const int rank = static_cast<int>(shape.size());
  std::vector<std::int64_t> stride(rank, 1);
  for (int axis = rank - 2; axis >= 0; --axis) stride[axis] = stride[axis + 1] * shape[axis + 1];
  Layout layout;
  for (int i = 0; i < rank; ++i) {
    const int axis = perm[i];
    if (shape[axis] == 1) continue;
    // An output axis whose input axis directly follows the previous one's merges into it.
    if (!layout.outShape.empty() && layout.inStride.back() == stride[axis] * shape[axis]) {
      layout.outShape.back() *= shape[axis];
      layout.inStride.back() = stride[axis];
      continue;
    }
    layout.outShape.push_back(shape[axis]);
    layout.inStride.push_back(stride[axis]);
  }
  return layout;
}

}  // namespace

void transpose4(const std::uint32_t* x, std::uint32_t* out, const std::vector<std::int64_t>& shape, const std::vector<int>& perm) {
  const Layout layout = simplify(shape, perm);
  const int rank = static_cast<int>(layout.outShape.size());
  std::int64_t total = 1;
  for (std::int64_t size : layout.outShape) total *= size;
  if (total == 0) return;
  if (rank <= 1) {
    std::memcpy(out, x, sizeof(std::uint32_t) * static_cast<std::size_t>(total));
    return;
  }
  std::vector<std::int64_t> outStride(rank, 1);
  for (int axis = rank - 2; axis >= 0; --axis) outStride[axis] = outStride[axis + 1] * layout.outShape[axis + 1];
  const bool parallel = total >= parallelElements;

  if (layout.inStride[rank - 1] == 1) {
    // The innermost axis stays innermost: copy runs of outShape[rank − 1] elements.
    const std::int64_t run = layout.outShape[rank - 1];
    const std::int64_t runs = total / run;
    const std::int64_t perTask = std::max<std::int64_t>(1, (1 << 14) / run);
    const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
      for (std::int64_t r = index * perTask; r < std::min(runs, (index + 1) * perTask); ++r) {
        std::int64_t rest = r;
        std::int64_t source = 0;
        for (int axis = rank - 2; axis >= 0; --axis) {
          source += (rest % layout.outShape[axis]) * layout.inStride[axis];
          rest /= layout.outShape[axis];
        }
        std::memcpy(out + r * run, x + source, sizeof(std::uint32_t) * static_cast<std::size_t>(run));
      }
    };
    sharedPool().run((runs + perTask - 1) / perTask, task, parallel);
    return;
  }

  // A batch of 2-D transposes: output axis `rows` reads the input's contiguous axis, output axis rank − 1 is
  // contiguous in the output; the other axes index the batch.
  int rows = 0;
  for (int axis = 0; axis < rank; ++axis) {
    if (layout.inStride[axis] == 1) rows = axis;
  }
  const std::int64_t rowCount = layout.outShape[rows];
  const std::int64_t columnCount = layout.outShape[rank - 1];
  const std::int64_t columnStride = layout.inStride[rank - 1];
  std::vector<int> batchAxes;
  for (int axis = 0; axis < rank - 1; ++axis) {
    if (axis != rows) batchAxes.push_back(axis);
  }
  const std::int64_t batches = total / (rowCount * columnCount);
  // The tile's strided side: reading a column of the tile touches one cache line per element, `columnStride` apart;
  // when that stride is the larger one (a wide input, e.g. a [64, 10240] weight whose lines 40 KB apart all fall in
  // one L1 set), read along the contiguous rows and write the strided side instead.
  const bool readAlongRows = columnStride > outStride[rows];
  const std::int64_t rowTiles = (rowCount + tile - 1) / tile;
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    std::int64_t rest = index / rowTiles;
    std::int64_t source = 0;
    std::int64_t target = 0;
    for (auto axis = batchAxes.rbegin(); axis != batchAxes.rend(); ++axis) {
      const std::int64_t position = rest % layout.outShape[*axis];
      rest /= layout.outShape[*axis];
      source += position * layout.inStride[*axis];
      target += position * outStride[*axis];
    }
    const std::int64_t row0 = (index % rowTiles) * tile;
    const std::int64_t row1 = std::min(rowCount, row0 + tile);
    for (std::int64_t column0 = 0; column0 < columnCount; column0 += tile) {
      const std::int64_t column1 = std::min(columnCount, column0 + tile);
      if (readAlongRows) {
        for (std::int64_t column = column0; column < column1; ++column) {
          const std::uint32_t* from = x + source + column * columnStride;
          std::uint32_t* to = out + target + column;
          for (std::int64_t row = row0; row < row1; ++row) to[row * outStride[rows]] = from[row];
        }
        continue;
      }
      for (std::int64_t row = row0; row < row1; ++row) {
        const std::uint32_t* from = x + source + row;
        std::uint32_t* to = out + target + row * outStride[rows];
        for (std::int64_t column = column0; column < column1; ++column) to[column] = from[column * columnStride];
      }
    }
  };
  sharedPool().run(batches * rowTiles, task, parallel);
}

namespace {

/**
 * Copies between x [shape] and the block [begin : begin + size] of it, as runs: the block's runs are read from x
 * (`toBlock`, a slice into `block`) or written into x (a block placed into x, the inverse).
 */
void copyBlock(std::uint32_t* x, std::uint32_t* block, const std::vector<std::int64_t>& shape, const std::vector<std::int64_t>& begin,
               const std::vector<std::int64_t>& size, bool toBlock) {
  const int rank = static_cast<int>(shape.size());
  std::int64_t total = 1;
  for (std::int64_t extent : size) total *= extent;
  if (total == 0) return;
  // Inner axes taken whole join the run copied at once.
  int first = rank - 1;
  while (first > 0 && begin[first] == 0 && size[first] == shape[first]) --first;
  std::vector<std::int64_t> stride(rank, 1);
  for (int axis = rank - 2; axis >= 0; --axis) stride[axis] = stride[axis + 1] * shape[axis + 1];
  const std::int64_t run = size[first] * stride[first];
  const std::int64_t runs = total / run;
  const std::int64_t perTask = std::max<std::int64_t>(1, (1 << 14) / run);
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    for (std::int64_t r = index * perTask; r < std::min(runs, (index + 1) * perTask); ++r) {
      std::int64_t rest = r;
      std::int64_t source = begin[first] * stride[first];
      for (int axis = first - 1; axis >= 0; --axis) {
        source += (begin[axis] + rest % size[axis]) * stride[axis];
        rest /= size[axis];
      }
      const std::size_t bytes = sizeof(std::uint32_t) * static_cast<std::size_t>(run);
      if (toBlock) std::memcpy(block + r * run, x + source, bytes);
      else std::memcpy(x + source, block + r * run, bytes);
    }
  };
  sharedPool().run((runs + perTask - 1) / perTask, task, total >= parallelElements);
}

}  // namespace

void slice4(const std::uint32_t* x, std::uint32_t* out, const std::vector<std::int64_t>& shape,
            const std::vector<std::int64_t>& begin, const std::vector<std::int64_t>& size) {
  copyBlock(const_cast<std::uint32_t*>(x), out, shape, begin, size, true);
}

void place4(const std::uint32_t* x, std::uint32_t* out, const std::vector<std::int64_t>& shape,
            const std::vector<std::int64_t>& begin, const std::vector<std::int64_t>& size) {
  copyBlock(out, const_cast<std::uint32_t*>(x), shape, begin, size, false);
}

namespace {
/** target[c] = Σ_r rows[r·stride + c] for c < columns, rows added in order. */
EVGAP_VECTOR_CLONES
void addRows(const float* rows, std::int64_t stride, std::int64_t count, std::int64_t columns, float* __restrict target) {
  std::fill(target, target + columns, 0.0f);
  for (std::int64_t r = 0; r < count; ++r) {
    const float* __restrict row = rows + r * stride;
    for (std::int64_t column = 0; column < columns; ++column) target[column] += row[column];
  }
}
}  // namespace

void sumMiddleAxis(const float* x, float* out, std::int64_t outer, std::int64_t reduced, std::int64_t inner) {
  const std::int64_t total = outer * reduced * inner;
  const bool parallel = total >= parallelElements;
  if (inner == 1) {
    // Sums of contiguous rows: several independent partial sums, so the compiler can vectorize.
    const std::int64_t perTask = std::max<std::int64_t>(1, (1 << 15) / std::max<std::int64_t>(reduced, 1));
    const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
      for (std::int64_t o = index * perTask; o < std::min(outer, (index + 1) * perTask); ++o) {
        const float* row = x + o * reduced;
        float partial[16] = {};
        std::int64_t r = 0;
        for (; r + 16 <= reduced; r += 16) {
          for (int lane = 0; lane < 16; ++lane) partial[lane] += row[r + lane];
        }
        float sum = 0;
        for (int lane = 0; lane < 16; ++lane) sum += partial[lane];
        for (; r < reduced; ++r) sum += row[r];
        out[o] = sum;
      }
    };
    sharedPool().run((outer + perTask - 1) / perTask, task, parallel);
    return;
  }
  // Column sums: add whole rows into the output row, split into column chunks across threads (each column's rows
  // added in order, so the result does not depend on the chunks). Chunks of 256 columns: with 1024, a bias
  // gradient over 512 columns ran on one thread and one over 1536 on two threads with twice the work on one.
  constexpr std::int64_t chunk = 256;
  const std::int64_t chunks = (inner + chunk - 1) / chunk;
  const std::function<void(std::int64_t)> task = [&](std::int64_t index) {
    const std::int64_t o = index / chunks;
    const std::int64_t column0 = (index % chunks) * chunk;
    addRows(x + o * reduced * inner + column0, inner, reduced, std::min(chunk, inner - column0), out + o * inner + column0);
  };
  sharedPool().run(outer * chunks, task, parallel);
}

}  // namespace evgap
