// CUDA launcher of the split test (kernels/classify.hpp), the twin of classify_cpu.cpp's
// classify_changes_cpu. Per chunk of series (sized from the free device memory):
//   H2D    the series (the basis rows X once per call)
//   device design prefix sums, one thread per series (design_prefix.cuh), then
//          classify_split, one thread per change (its neighbours are the window)
//   D2H    one SplitTest per change; the kind is its `kind`
// One stream; the host waits on it only (no cudaDeviceSynchronize). Compiled with
// --fmad=false like every CUDA launcher here, so the fits round as on the host.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/classify_batch.hpp"
#include "kernels/cuda_check.hpp"
#include "kernels/cuda_memory.cuh"
#include "kernels/design_prefix.cuh"
#include "kernels/tuning.hpp"

namespace turnpoint::kernels {
namespace {

// One change to test: its series (chunk index) and its window a < t < b.
struct SplitJob {
  int series = 0;
  int a = 0, t = 0, b = 0;
};

__global__ void split_test_kernel(const SplitJob* jobs, int n_jobs, DesignPrefix d,
                                  int trend_col, ColumnGroups groups, double alpha,
                                  SplitTest* out) {
  const int j = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (j >= n_jobs) return;
  const SplitJob job = jobs[j];
  const MomentView m = d.view(job.series, trend_col, groups);
  out[j] = classify_split(m, job.a, job.t, job.b, 1.0, alpha);
}


}  // namespace

void classify_changes_cuda(const double* values, std::int64_t n_series, const DesignMatrix& d,
                           ChangeList& list, double alpha, std::vector<SplitTest>* tests,
                           std::int64_t max_chunk_series) {
  list.kinds.assign(list.changes.size(), kKindEvent);
  if (tests) tests->assign(list.changes.size(), SplitTest{});
  if (list.changes.empty()) return;
  const int n = d.n, p = d.p;
  DesignPrefix shape;
  shape.n = n;
  shape.p = p;
  const std::size_t per_series =
      sizeof(double) * (static_cast<std::size_t>(n) + 2 * (shape.xx_size() + shape.xy_size()));
  const std::size_t per_change = sizeof(SplitJob) + sizeof(SplitTest);

  const std::size_t x_bytes = sizeof(double) * d.X.size();
  const double budget = detail::device_budget(tuning::kExplainMemoryFraction, x_bytes);
  const std::int64_t max_chunk = max_chunk_series > 0 ? max_chunk_series : tuning::kMaxChunkSeries;
  const std::vector<std::int64_t> bounds = detail::chunk_bounds(
      n_series,
      [&](std::int64_t i) {
        return per_series + per_change * static_cast<std::size_t>(list.offsets[i + 1] - list.offsets[i]);
      },
      budget, max_chunk, "the split test on the GPU");
  const detail::ChunkExtent widest = detail::widest_chunk(bounds, list.offsets);

  // One allocation for the widest chunk.
  DesignPrefix dp = shape;
  double *X = nullptr, *y = nullptr;
  SplitJob* jobs = nullptr;
  SplitTest* out = nullptr;
  auto carve = [&](detail::Carver& cv) {
    const std::size_t S = static_cast<std::size_t>(widest.series);
    const std::size_t K = static_cast<std::size_t>(widest.changes);
    X = cv.take<double>(d.X.size());
    y = cv.take<double>(S * n);
    dp.xx_hi = cv.take<double>(S * shape.xx_size());
    dp.xx_lo = cv.take<double>(S * shape.xx_size());
    dp.xy_hi = cv.take<double>(S * shape.xy_size());
    dp.xy_lo = cv.take<double>(S * shape.xy_size());
    jobs = cv.take<SplitJob>(K);
    out = cv.take<SplitTest>(K);
  };
  detail::DeviceBlock mem;
  detail::allocate_carved(mem, carve, "allocating the split test's device memory");
  detail::Stream stream;
  TURNPOINT_CUDA_TRY(cudaStreamCreateWithFlags(&stream.s, cudaStreamNonBlocking));
  TURNPOINT_CUDA_TRY_AS(cudaMemcpyAsync(X, d.X.data(), x_bytes, cudaMemcpyHostToDevice, stream.s),
                        "copying the basis to the device");

  std::vector<SplitJob> host_jobs;
  std::vector<SplitTest> host_out;
  for (size_t c = 0; c + 1 < bounds.size(); ++c) {
    const std::int64_t s0 = bounds[c], S = bounds[c + 1] - s0;
    const std::int64_t k0 = list.offsets[s0], K = list.offsets[s0 + S] - k0;
    if (K == 0) continue;
    host_jobs.clear();
    for (std::int64_t i = s0; i < s0 + S; ++i)
      for (std::int64_t j = list.offsets[i]; j < list.offsets[i + 1]; ++j) {
        SplitJob job;
        job.series = static_cast<int>(i - s0);
        job.a = j > list.offsets[i] ? list.changes[j - 1] : 0;
        job.t = list.changes[j];
        job.b = j + 1 < list.offsets[i + 1] ? list.changes[j + 1] : n;
        host_jobs.push_back(job);
      }
    TURNPOINT_CUDA_TRY_AS(cudaMemcpyAsync(y, values + s0 * n, sizeof(double) * S * n,
                                          cudaMemcpyHostToDevice, stream.s),
                          "copying series to the device");
    TURNPOINT_CUDA_TRY_AS(cudaMemcpyAsync(jobs, host_jobs.data(), sizeof(SplitJob) * K,
                                          cudaMemcpyHostToDevice, stream.s),
                          "copying the changes to the device");
    design_prefix_kernel<<<detail::blocks_for(S), tuning::kThreadsPerBlock, 0, stream.s>>>(
        X, y, static_cast<int>(S), dp);
    TURNPOINT_CUDA_CHECK_LAUNCH("design_prefix_kernel");
    split_test_kernel<<<detail::blocks_for(K), tuning::kThreadsPerBlock, 0, stream.s>>>(
        jobs, static_cast<int>(K), dp, d.trend_col, d.groups, alpha, out);
    TURNPOINT_CUDA_CHECK_LAUNCH("split_test_kernel");
    host_out.resize(static_cast<size_t>(K));
    TURNPOINT_CUDA_TRY_AS(cudaMemcpyAsync(host_out.data(), out, sizeof(SplitTest) * K,
                                          cudaMemcpyDeviceToHost, stream.s),
                          "copying the split tests to the host");
    TURNPOINT_CUDA_TRY_AS(cudaStreamSynchronize(stream.s), "running the split test");
    for (std::int64_t j = 0; j < K; ++j) {
      list.kinds[k0 + j] = host_out[j].kind;
      if (tests) (*tests)[k0 + j] = host_out[j];
    }
  }
}

}  // namespace turnpoint::kernels
