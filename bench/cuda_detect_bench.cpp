// CUDA backend benchmarks (issue 3). Each case reports, per call of detect:
//   real time (manual)  device time of the kernels, from CUDA events, summed over chunks
//   wall_ms             the whole call: host preparation, transfers, kernels, unpacking
//   prep_ms             host part (validation, shift, sigma) alone
//   series_per_s        series per second of wall time; kernel_series_per_s per kernel time
// plus CPU-backend cases of the same shapes, to find the batch size where the GPU wins.
// Without a usable GPU (or in a build without CUDA) it prints why and exits 0.
// Run: build-*/bench/cuda_detect_bench --benchmark_counters_tabular=true
//      (bench/README.md: portable build, filters, what to record in bench/RESULTS.md)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

#include "kernels/detect.hpp"
#include "kernels/detect_cuda.cuh"

namespace {

using namespace turnpoint;

// Piecewise-constant series with unit noise: about one change per 180 days (emission
// series with a few policy/COVID-like steps per year), cached and shared by the cases.
const std::vector<double>& panel(std::int64_t n_series, int n_time) {
  static std::vector<double> values;
  static std::int64_t have_series = 0;
  static int have_time = -1;
  if (have_time != n_time || have_series < n_series) {
    values.assign(static_cast<size_t>(n_series) * n_time, 0.0);
#pragma omp parallel for schedule(static)
    for (std::int64_t s = 0; s < n_series; ++s) {
      std::mt19937_64 rng(static_cast<std::uint64_t>(s) * 7919u + 1u);
      std::normal_distribution<double> noise(0.0, 1.0);
      std::uniform_real_distribution<double> level(-4.0, 4.0);
      double mu = level(rng);
      for (int t = 0; t < n_time; ++t) {
        if (rng() % 180 == 0) mu = level(rng);
        values[static_cast<size_t>(s) * n_time + t] = mu + noise(rng);
      }
    }
    have_series = n_series;
    have_time = n_time;
  }
  return values;
}

std::vector<std::int32_t> day_axis(int n_time) {
  std::vector<std::int32_t> d(static_cast<size_t>(n_time));
  for (int i = 0; i < n_time; ++i) d[i] = 17897 + i;  // from 2019-01-01
  return d;
}

DetectConfig config(Method m, int kmax) {
  DetectConfig c;
  c.method = m;
  c.cost = CostKind::mean;
  c.penalty = {PenaltyKind::mbic, 0.0};
  c.max_changes = kmax;
  return c;
}

// Cost evaluations of segment neighbourhood (kernels/segneigh.hpp), counted exactly: the
// work of the cost-matrix computation, for the FP64-peak estimate in bench/README.md.
double segneigh_evals(int n, int kmax, int m) {
  double e = n + 1.0;
  for (int k = 1; k <= kmax; ++k)
    for (int s = 0; s <= n; ++s) e += std::max(0, s - m - k * m + 1);
  return e;
}

#if defined(TURNPOINT_HAVE_CUDA)
void run_cuda_case(benchmark::State& state, Method m, int kmax) {
  const std::int64_t ns = state.range(0);
  const int nt = static_cast<int>(state.range(1));
  const auto& v = panel(ns, nt);
  const auto days = day_axis(nt);
  const DetectConfig c = config(m, kmax);
  double wall = 0.0, prep = 0.0, kernel = 0.0;
  int chunks = 0;
  for (auto _ : state) {
    detail::CudaTimings t;
    auto r = detail::detect_cuda_timed(v.data(), ns, nt, days.data(), c, &t);
    benchmark::DoNotOptimize(r);
    state.SetIterationTime(t.kernel_ms / 1e3);
    wall += t.wall_ms;
    prep += t.prep_ms;
    kernel += t.kernel_ms;
    chunks = t.chunks;
  }
  const double it = static_cast<double>(state.iterations());
  state.counters["wall_ms"] = wall / it;
  state.counters["prep_ms"] = prep / it;
  state.counters["kernel_ms"] = kernel / it;
  state.counters["chunks"] = chunks;
  state.counters["series_per_s"] = static_cast<double>(ns) / (wall / it / 1e3);
  state.counters["kernel_series_per_s"] = static_cast<double>(ns) / (kernel / it / 1e3);
  if (m == Method::segneigh)
    state.counters["Gevals_per_s"] =
        static_cast<double>(ns) * segneigh_evals(nt, kmax, 2) / (kernel / it / 1e3) / 1e9;
}
#endif

void run_cpu_case(benchmark::State& state, Method m, int kmax) {
  const std::int64_t ns = state.range(0);
  const int nt = static_cast<int>(state.range(1));
  const auto& v = panel(ns, nt);
  const auto days = day_axis(nt);
  const DetectConfig c = config(m, kmax);
  for (auto _ : state) {
    auto r = detail::detect_cpu(v.data(), ns, nt, days.data(), c);
    benchmark::DoNotOptimize(r);
  }
  state.counters["series_per_s"] =
      benchmark::Counter(static_cast<double>(ns), benchmark::Counter::kIsIterationInvariantRate);
}

// Batches of 1..10^5 series x 1461 days (4 years, the Carbon Monitor panel's length).
void batch_sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t ns : {1, 2, 4, 8, 16, 32, 128, 1024, 10000, 100000}) b->Args({ns, 1461});
}
void batch_sizes_cpu(benchmark::internal::Benchmark* b) {
  for (std::int64_t ns : {1, 2, 4, 8, 16, 32, 128, 1024, 10000}) b->Args({ns, 1461});
}
void long_series(benchmark::internal::Benchmark* b) {
  for (std::int64_t nt : {10000, 100000, 1000000}) b->Args({1, nt});
  for (std::int64_t nt : {10000, 100000}) b->Args({64, nt});
}
void segneigh_sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t ns : {1, 32, 1024, 10000}) b->Args({ns, 1461});
}

}  // namespace

#if defined(TURNPOINT_HAVE_CUDA)
BENCHMARK_CAPTURE(run_cuda_case, cuda_pelt_mean, Method::pelt, 0)
    ->Apply(batch_sizes)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_cuda_case, cuda_op_mean, Method::op, 0)
    ->Apply(batch_sizes)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_cuda_case, cuda_binseg_mean, Method::binseg, 10)
    ->Apply(batch_sizes)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_cuda_case, cuda_segneigh_mean_k10, Method::segneigh, 10)
    ->Apply(segneigh_sizes)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_cuda_case, cuda_pelt_mean_long, Method::pelt, 0)
    ->Apply(long_series)->UseManualTime()->Unit(benchmark::kMillisecond);
#endif
BENCHMARK_CAPTURE(run_cpu_case, cpu_pelt_mean, Method::pelt, 0)
    ->Apply(batch_sizes_cpu)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_cpu_case, cpu_op_mean, Method::op, 0)
    ->Apply(batch_sizes_cpu)->UseRealTime()->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
#if defined(TURNPOINT_HAVE_CUDA)
  if (!turnpoint::detail::cuda_usable()) {
    std::fprintf(stderr, "cuda_detect_bench: no usable CUDA device, nothing measured (skipped)\n");
    return 0;
  }
#else
  std::fprintf(stderr, "cuda_detect_bench: this build has no CUDA backend, nothing measured (skipped)\n");
  return 0;
#endif
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
