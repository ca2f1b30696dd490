// CUDA launcher of the block bootstrap (kernels/bootstrap.hpp), the twin of bootstrap_cpu.cpp's
// bootstrap_changes_cpu. The unit of work is one (series x replicate): one GPU thread runs
// replicate_hits -- resample, rebuild the y-dependent prefix rows, re-locate every scored
// change -- in its own global-memory workspace, exactly what one OpenMP iteration does on
// the CPU. Per chunk of series (sized from the free device memory):
//   H2D    series, their changes, kinds, flags and penalties (the basis rows once per call)
//   device design prefix sums (one thread per series), the fitted segmentation and its
//          residuals (one thread per series), then the replicates (one thread per unit)
//   D2H    the hits [change][replicate]; the host summarises them with summarize_hits,
//          the same code as the CPU backend
// Differences from the CPU launcher: the CPU factors each window's fits once per series
// (bootstrap_projector.hpp) while a GPU thread refits them from the prefix sums
// (relocate_change); the two agree up to rounding (tests/kernels/bootstrap_test.cpp,
// Bootstrap.ReplicateUnitEqualsCpuLauncher, runs this per-thread code on the host). The
// random streams are the same (per series and replicate), so the replicates are identical.
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/bootstrap_batch.hpp"
#include "kernels/cuda_check.hpp"
#include "kernels/cuda_memory.cuh"
#include "kernels/design_prefix.cuh"
#include "kernels/tuning.hpp"

namespace turnpoint::kernels {
namespace {

// What every thread of a chunk reads (device pointers).
struct ChunkArrays {
  const double* X = nullptr;    // [n][p]
  double* y = nullptr;          // [S][n]
  double* fitted = nullptr;     // [S][n]
  double* resid = nullptr;      // [S][n]: the first n_valid entries
  int* n_valid = nullptr;       // [S]
  int* block = nullptr;         // [S]
  double* pen = nullptr;        // [S]
  int* offsets = nullptr;       // [S + 1] into changes (chunk-local)
  int* changes = nullptr;       // [K]
  int* kinds = nullptr;         // [K]
  unsigned char* score = nullptr;  // [K]
  double* y_star = nullptr;     // [S B][n]
  double* uxy_hi = nullptr;     // [S B][p + 1][n + 1]
  double* uxy_lo = nullptr;
  ReplicateHit* hits = nullptr;  // [K][B]
};

struct ChunkParams {
  int n = 0, p = 1, trend_col = -1;
  ColumnGroups groups{};
  int replicates = 0;
  int block = 0;  // the setting; 0 = default_block_length per series
  std::int64_t first_series = 0;  // global index of the chunk's first series (random streams)
  std::uint64_t seed = 0;
  ReplicateSettings relocate{};
};

// Per series: its number of non-missing days, block length, and the fitted segmentation
// with its residuals (the centre and the noise of the resampling).
__global__ void fit_kernel(ChunkArrays a, DesignPrefix d, ChunkParams c, int n_series) {
  const int s = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (s >= n_series) return;
  const int k = a.offsets[s + 1] - a.offsets[s];
  const double* y = a.y + static_cast<long>(s) * c.n;
  int valid = 0;
  for (int t = 0; t < c.n; ++t) valid += y[t] == y[t];
  a.n_valid[s] = valid;
  a.block[s] = c.block > 0 ? c.block : default_block_length(valid);
  if (k == 0) return;
  const MomentView m = d.view(s, c.trend_col, c.groups);
  fit_segmentation(m, a.X, y, c.n, a.changes + a.offsets[s], k,
                   a.fitted + static_cast<long>(s) * c.n, a.resid + static_cast<long>(s) * c.n);
}

// One thread per (series, replicate): unit u = s * B + r.
__global__ void replicate_kernel(ChunkArrays a, DesignPrefix d, ChunkParams c, long n_units) {
  const long u = static_cast<long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (u >= n_units) return;
  const int s = static_cast<int>(u / c.replicates), r = static_cast<int>(u % c.replicates);
  const int off = a.offsets[s], k = a.offsets[s + 1] - off;
  if (k == 0) return;
  const long n = c.n, n1 = n + 1;
  SeriesChanges sc;
  sc.changes = a.changes + off;
  sc.kinds = a.kinds + off;
  sc.score = a.score + off;
  sc.k = k;
  ReplicateSettings rs = c.relocate;
  rs.pen = a.pen[s];
  const MomentView m = d.view(s, c.trend_col, c.groups);
  replicate_hits(a.X, c.n, c.p, c.trend_col, c.groups, a.y + s * n, a.fitted + s * n,
                 a.resid + s * n, a.n_valid[s], a.block[s],
                 Rng::stream(c.seed, c.first_series + s, r), m.xx,
                 a.uxy_hi + u * (c.p + 1) * n1, a.uxy_lo + u * (c.p + 1) * n1, a.y_star + u * n,
                 sc, rs, a.hits + static_cast<long>(off) * c.replicates + r, c.replicates);
}


}  // namespace

void bootstrap_changes_cuda(const double* values, std::int64_t n_series, const DesignMatrix& d,
                            const ChangeList& list, const double* penalty,
                            const BootstrapSettings& s, std::vector<ChangeScore>& out) {
  out.assign(list.changes.size(), ChangeScore{});
  std::vector<int> days;
  if (s.replicates <= 0) {  // nothing to resample: the summary of no replicates, as on the CPU
    for (size_t j = 0; j < out.size(); ++j)
      out[j] = !list.score.empty() && !list.score[j]
                   ? ChangeScore{std::nan(""), -1, -1}
                   : summarize_hits(nullptr, 1, list.changes[j], list.kinds[j], s, days);
    return;
  }
  if (list.changes.empty()) return;
  const int n = d.n, p = d.p, B = s.replicates;
  DesignPrefix shape;
  shape.n = n;
  shape.p = p;
  const std::size_t nd = static_cast<std::size_t>(n);
  const std::size_t per_series =
      sizeof(double) * (4 * nd + 2 * (shape.xx_size() + shape.xy_size()) + 1) + 3 * sizeof(int);
  const std::size_t per_unit = sizeof(double) * (nd + 2 * shape.xy_size());
  const std::size_t per_change = 2 * sizeof(int) + 1 + sizeof(ReplicateHit) * B;

  const std::size_t x_bytes = sizeof(double) * d.X.size();
  const double budget = detail::device_budget(tuning::kExplainMemoryFraction, x_bytes);
  const std::int64_t max_chunk = s.max_chunk_series > 0 ? s.max_chunk_series : tuning::kMaxChunkSeries;
  const std::vector<std::int64_t> bounds = detail::chunk_bounds(
      n_series,
      [&](std::int64_t i) {
        return per_series + per_unit * B +
               per_change * static_cast<std::size_t>(list.offsets[i + 1] - list.offsets[i]);
      },
      budget, max_chunk, "the bootstrap on the GPU (lower --bootstrap)");
  const detail::ChunkExtent widest = detail::widest_chunk(bounds, list.offsets);

  DesignPrefix dp = shape;
  ChunkArrays a;
  double* X = nullptr;
  auto carve = [&](detail::Carver& cv) {
    const std::size_t S = static_cast<std::size_t>(widest.series);
    const std::size_t K = static_cast<std::size_t>(widest.changes), U = S * B;
    X = cv.take<double>(d.X.size());
    a.X = X;
    a.y = cv.take<double>(S * nd);
    a.fitted = cv.take<double>(S * nd);
    a.resid = cv.take<double>(S * nd);
    dp.xx_hi = cv.take<double>(S * shape.xx_size());
    dp.xx_lo = cv.take<double>(S * shape.xx_size());
    dp.xy_hi = cv.take<double>(S * shape.xy_size());
    dp.xy_lo = cv.take<double>(S * shape.xy_size());
    a.n_valid = cv.take<int>(S);
    a.block = cv.take<int>(S);
    a.pen = cv.take<double>(S);
    a.offsets = cv.take<int>(S + 1);
    a.changes = cv.take<int>(K);
    a.kinds = cv.take<int>(K);
    a.score = cv.take<unsigned char>(K);
    a.y_star = cv.take<double>(U * nd);
    a.uxy_hi = cv.take<double>(U * shape.xy_size());
    a.uxy_lo = cv.take<double>(U * shape.xy_size());
    a.hits = cv.take<ReplicateHit>(K * B);
  };
  detail::DeviceBlock mem;
  detail::allocate_carved(mem, carve, "allocating the bootstrap's device memory");
  detail::Stream stream;
  TURNPOINT_CUDA_TRY(cudaStreamCreateWithFlags(&stream.s, cudaStreamNonBlocking));
  TURNPOINT_CUDA_TRY_AS(cudaMemcpyAsync(X, d.X.data(), x_bytes, cudaMemcpyHostToDevice, stream.s),
                        "copying the basis to the device");

  ChunkParams cp;
  cp.n = n;
  cp.p = p;
  cp.trend_col = d.trend_col;
  cp.groups = d.groups;
  cp.replicates = B;
  cp.block = s.block;
  cp.seed = s.seed;
  cp.relocate.search = s.search;
  cp.relocate.min_size = std::max(s.min_size, p);
  cp.relocate.mbic = s.mbic;
  cp.relocate.alpha = s.alpha;

  std::vector<int> offsets, kinds;
  std::vector<unsigned char> score;
  std::vector<ReplicateHit> hits;
  for (size_t c = 0; c + 1 < bounds.size(); ++c) {
    const std::int64_t s0 = bounds[c], S = bounds[c + 1] - s0;
    const std::int64_t k0 = list.offsets[s0], K = list.offsets[s0 + S] - k0;
    if (K == 0) continue;
    offsets.resize(static_cast<size_t>(S) + 1);
    for (std::int64_t i = 0; i <= S; ++i) offsets[i] = static_cast<int>(list.offsets[s0 + i] - k0);
    kinds.assign(list.kinds.begin() + k0, list.kinds.begin() + k0 + K);
    if (list.score.empty()) score.assign(static_cast<size_t>(K), 1);
    else score.assign(list.score.begin() + k0, list.score.begin() + k0 + K);
    const cudaStream_t st = stream.s;
    TURNPOINT_CUDA_TRY_AS(cudaMemcpyAsync(a.y, values + s0 * n, sizeof(double) * S * n,
                                          cudaMemcpyHostToDevice, st), "copying series to the device");
    TURNPOINT_CUDA_TRY_AS(cudaMemcpyAsync(a.pen, penalty + s0, sizeof(double) * S,
                                          cudaMemcpyHostToDevice, st), "copying penalties to the device");
    TURNPOINT_CUDA_TRY_AS(cudaMemcpyAsync(a.offsets, offsets.data(), sizeof(int) * (S + 1),
                                          cudaMemcpyHostToDevice, st), "copying change offsets to the device");
    TURNPOINT_CUDA_TRY_AS(cudaMemcpyAsync(a.changes, list.changes.data() + k0, sizeof(int) * K,
                                          cudaMemcpyHostToDevice, st), "copying changes to the device");
    TURNPOINT_CUDA_TRY_AS(cudaMemcpyAsync(a.kinds, kinds.data(), sizeof(int) * K,
                                          cudaMemcpyHostToDevice, st), "copying kinds to the device");
    TURNPOINT_CUDA_TRY_AS(cudaMemcpyAsync(a.score, score.data(), K, cudaMemcpyHostToDevice, st),
                          "copying score flags to the device");
    // All-zero hits are "not significant" (changes not re-located are not summarised).
    TURNPOINT_CUDA_TRY_AS(cudaMemsetAsync(a.hits, 0, sizeof(ReplicateHit) * K * B, st),
                          "clearing the hits");
    cp.first_series = s0;
    design_prefix_kernel<<<detail::blocks_for(S), tuning::kThreadsPerBlock, 0, st>>>(X, a.y, static_cast<int>(S), dp);
    TURNPOINT_CUDA_CHECK_LAUNCH("design_prefix_kernel");
    fit_kernel<<<detail::blocks_for(S), tuning::kThreadsPerBlock, 0, st>>>(a, dp, cp, static_cast<int>(S));
    TURNPOINT_CUDA_CHECK_LAUNCH("fit_kernel");
    const long units = static_cast<long>(S) * B;
    replicate_kernel<<<detail::blocks_for(units), tuning::kThreadsPerBlock, 0, st>>>(a, dp, cp, units);
    TURNPOINT_CUDA_CHECK_LAUNCH("replicate_kernel");
    hits.resize(static_cast<size_t>(K) * B);
    TURNPOINT_CUDA_TRY_AS(cudaMemcpyAsync(hits.data(), a.hits, sizeof(ReplicateHit) * K * B,
                                          cudaMemcpyDeviceToHost, st), "copying the hits to the host");
    TURNPOINT_CUDA_TRY_AS(cudaStreamSynchronize(st), "running the bootstrap");
    for (std::int64_t j = 0; j < K; ++j) {
      if (!score[j]) {
        out[k0 + j] = ChangeScore{std::nan(""), -1, -1};
        continue;
      }
      out[k0 + j] = summarize_hits(hits.data() + j * B, 1, list.changes[k0 + j], kinds[j], s, days);
    }
  }
}

}  // namespace turnpoint::kernels
