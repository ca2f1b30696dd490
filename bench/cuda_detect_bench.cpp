// CUDA backend benchmarks (issues 3 and 16). Each cuda_* case reports, per call of detect:
//   real time (manual)  device time of the kernels, from CUDA events, summed over chunks
//   wall_ms             the whole call: host preparation, transfers, kernels, unpacking
//   prep_ms             host part (validation, shift, sigma) alone
//   series_per_s        series per second of wall time; kernel_series_per_s per kernel time
// plus CPU-backend cases (cpu_*) of the same shapes, to find the batch size where the GPU
// wins, and the real Carbon Monitor China panel (bench/cm_panel.hpp) on both.
// Names: <backend>_<method>_<cost>[_k<K>]/<series>/<days>, and <backend>_real_<method>_<cost>.
// Without a usable GPU (or in a build without CUDA) it prints why and exits 0, or 1 under
// TURNPOINT_REQUIRE_GPU=1 (bench/gpu_gate.hpp).
// Run: build-*/bench/cuda_detect_bench --benchmark_counters_tabular=true
//      (bench/README.md: the bundle, bench/gpu/run.sh, what to record in bench/RESULTS.md)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bench/cm_panel.hpp"
#include "bench/gpu_gate.hpp"
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

DetectConfig config(Method m, CostKind cost, int kmax) {
  DetectConfig c;
  c.method = m;
  c.cost = cost;
  c.penalty = {PenaltyKind::mbic, 0.0};
  c.max_changes = kmax;
  if (cost == CostKind::regression) {
    c.basis.trend = true;
    c.basis.weekly = 1;
  }
  return c;
}

#if defined(TURNPOINT_HAVE_CUDA)
// Cost evaluations of segment neighbourhood (kernels/segneigh.hpp), counted exactly: the
// work of the cost-matrix computation, for the FP64-peak estimate in bench/README.md (only
// the GPU cases report it).
double segneigh_evals(int n, int kmax, int m) {
  double e = n + 1.0;
  for (int k = 1; k <= kmax; ++k)
    for (int s = 0; s <= n; ++s) e += std::max(0, s - m - k * m + 1);
  return e;
}
#endif

const bench::CmPanel& real() {
  static const bench::CmPanel p =
      bench::find_cm_panel({TURNPOINT_SOURCE_DIR "/../shared/datasets/carbon_monitor_china_daily"});
  return p;
}

#if defined(TURNPOINT_HAVE_CUDA)
void run_cuda(benchmark::State& state, const double* v, std::int64_t ns, int nt,
              const std::int32_t* days, const DetectConfig& c) {
  double wall = 0.0, prep = 0.0, kernel = 0.0;
  int chunks = 0;
  for (auto _ : state) {
    detail::CudaTimings t;
    auto r = detail::detect_cuda_timed(v, ns, nt, days, c, &t);
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
  if (c.method == Method::segneigh)
    state.counters["Gevals_per_s"] = static_cast<double>(ns) *
                                     segneigh_evals(nt, c.max_changes, c.min_size) /
                                     (kernel / it / 1e3) / 1e9;
}
#endif

void run_cpu(benchmark::State& state, const double* v, std::int64_t ns, int nt,
             const std::int32_t* days, const DetectConfig& c) {
  for (auto _ : state) {
    auto r = detail::detect_cpu(v, ns, nt, days, c);
    benchmark::DoNotOptimize(r);
  }
  state.counters["series_per_s"] =
      benchmark::Counter(static_cast<double>(ns), benchmark::Counter::kIsIterationInvariantRate);
}

// Registers one case in milliseconds: GPU cases time the kernels (manual time), CPU cases
// the wall clock.
template <typename Fn>
void register_case(const std::string& name, Fn fn, bool gpu) {
  auto* b = benchmark::RegisterBenchmark(name.c_str(), fn)->Unit(benchmark::kMillisecond);
  if (gpu)
    b->UseManualTime();
  else
    b->UseRealTime();
  bench::fixed_iterations(b);
}

// A synthetic case: `series` x `days` of panel().
void add_case(bool gpu, Method m, CostKind cost, int kmax, std::int64_t series, int days) {
  std::string name = std::string(gpu ? "cuda_" : "cpu_") + to_string(m) + "_" + to_string(cost) +
                     (m == Method::segneigh || m == Method::binseg ? "_k" + std::to_string(kmax) : "") +
                     "/" + std::to_string(series) + "/" + std::to_string(days);
  auto fn = [=](benchmark::State& state) {
    const auto& v = panel(series, days);
    const auto axis = day_axis(days);
#if defined(TURNPOINT_HAVE_CUDA)
    if (gpu) return run_cuda(state, v.data(), series, days, axis.data(), config(m, cost, kmax));
#endif
    run_cpu(state, v.data(), series, days, axis.data(), config(m, cost, kmax));
  };
  register_case(name, fn, gpu);
}

// The real panel, 155 series x 1,461 days.
void add_real_case(bool gpu, Method m, CostKind cost, int kmax) {
  const std::string name = std::string(gpu ? "cuda_real_" : "cpu_real_") + to_string(m) + "_" +
                           to_string(cost);
  auto fn = [=](benchmark::State& state) {
    const bench::CmPanel& p = real();
    if (!p.ok()) {
      state.SkipWithError(p.error.c_str());
      return;
    }
#if defined(TURNPOINT_HAVE_CUDA)
    if (gpu)
      return run_cuda(state, p.values.data(), p.n_series, p.n_time, p.days.data(),
                      config(m, cost, kmax));
#endif
    run_cpu(state, p.values.data(), p.n_series, p.n_time, p.days.data(), config(m, cost, kmax));
  };
  register_case(name, fn, gpu);
}

void register_all() {
  const int n = 1461;  // 4 years, the Carbon Monitor panel's length
  for (bool gpu : {true, false}) {
    // The target (10^5 series, PELT, mean, MBIC) and the batch size where the GPU wins.
    for (std::int64_t s : {1, 2, 4, 8, 16, 32, 128, 1024, 10000, 100000})
      if (gpu || s <= 1024) add_case(gpu, Method::pelt, CostKind::mean, 0, s, n);
    // Segment neighbourhood K = 10 (target: 10^4 series); OP and binary segmentation.
    for (std::int64_t s : {1, 32, 1024, 10000})
      if (gpu || s <= 32) add_case(gpu, Method::segneigh, CostKind::mean, 10, s, n);
    for (std::int64_t s : {1, 1024, 10000})
      if (gpu || s <= 32) add_case(gpu, Method::op, CostKind::mean, 0, s, n);
    for (std::int64_t s : {1, 1024, 100000})
      if (gpu || s <= 1024) add_case(gpu, Method::binseg, CostKind::mean, 10, s, n);
    // Other costs at the target's shape (fewer series: they are slower).
    if (gpu) {
      add_case(gpu, Method::pelt, CostKind::meanvar, 0, 10000, n);
      add_case(gpu, Method::pelt, CostKind::poisson, 0, 10000, n);
      add_case(gpu, Method::pelt, CostKind::regression, 0, 1024, n);
    }
    // Long series: one warp owns a series, so these show the per-step latency.
    if (gpu) {
      add_case(gpu, Method::pelt, CostKind::mean, 0, 1, 10000);
      add_case(gpu, Method::pelt, CostKind::mean, 0, 1, 100000);
      add_case(gpu, Method::pelt, CostKind::mean, 0, 64, 100000);
    }
    add_real_case(gpu, Method::pelt, CostKind::mean, 0);
    add_real_case(gpu, Method::pelt, CostKind::meanvar, 0);
    add_real_case(gpu, Method::segneigh, CostKind::mean, 10);
    add_real_case(gpu, Method::binseg, CostKind::mean, 10);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
#if defined(TURNPOINT_HAVE_CUDA)
  if (!turnpoint::detail::cuda_usable())
    return turnpoint::bench::no_gpu_exit("cuda_detect_bench", "no usable CUDA device");
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
#else
  (void)register_all;
  return turnpoint::bench::no_gpu_exit("cuda_detect_bench", "this build has no CUDA backend");
#endif
}
