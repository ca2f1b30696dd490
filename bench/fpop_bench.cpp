// FPOP (kernels/fpop.hpp) against PELT, both exact with the mean (L2) cost, CPU backend:
//  - one series of 10^5 and 10^6 days (a panel of one series runs on one thread), a change
//    every 2,000 or 200 days on average, min size 2 and 20, fixed penalty 3 log n, sigma 1
//    (--noise none);
//  - the synthetic 10^4 x 1,461 panel (bench/bench_common.hpp, 0..8 changes per series),
//    fixed penalty 3 log n and MBIC;
//  - the real 155-series panel, MBIC (skipped when ../shared/datasets is absent).
// Each case runs 3 times and reports the minimum (the machine is shared).
// Run: OMP_NUM_THREADS=1 build-bench/bench/fpop_bench --benchmark_counters_tabular=true
#include <algorithm>
#include <map>
#include <utility>
#include <cmath>
#include <random>
#include <vector>

#include "bench/bench_common.hpp"

namespace turnpoint::bench {
namespace {

// One series of n days: a level change every `every` days on average (1..4 noise units),
// Gaussian noise of sd 1.
const BenchPanel& long_series(int n, int every) {
  static std::map<std::pair<int, int>, BenchPanel> cache;
  auto it = cache.find({n, every});
  if (it != cache.end()) return it->second;
  BenchPanel p;
  p.n_series = 1;
  p.n_time = n;
  for (int t = 0; t < n; ++t) p.days.push_back(t);
  p.values.resize(static_cast<size_t>(n));
  std::mt19937_64 rng(2027);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double level = 0.0;
  for (int t = 0; t < n; ++t) {
    if (u(rng) < 1.0 / every) level += (u(rng) < 0.5 ? -1.0 : 1.0) * (1.0 + 3.0 * u(rng));
    p.values[t] = level + noise(rng);
  }
  return cache.emplace(std::make_pair(n, every), std::move(p)).first->second;
}

DetectConfig l2_config(Method method, int n, int min_size) {
  DetectConfig c = config(method, CostKind::mean, 10, min_size);
  c.noise = NoiseScale::none;
  c.penalty = Penalty{PenaltyKind::manual, 3.0 * std::log(static_cast<double>(n))};
  return c;
}

void BM_single_l2(benchmark::State& state, Method method) {
  const int n = static_cast<int>(state.range(0));
  run_detect(state, long_series(n, static_cast<int>(state.range(2))),
             l2_config(method, n, static_cast<int>(state.range(1))));
}
void BM_panel_l2(benchmark::State& state, Method method) {
  run_detect(state, synthetic(10000), l2_config(method, 1461, 2));
}
void BM_panel_mbic(benchmark::State& state, Method method) {
  run_detect(state, synthetic(10000), config(method, CostKind::mean));
}
void BM_real_mbic(benchmark::State& state, Method method) {
  run_detect(state, real_panel(), config(method, CostKind::mean));
}

double min_of(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

#define TP_FPOP_BENCH(fn, name, method)                                                    \
  BENCHMARK_CAPTURE(fn, name, method)                                                      \
      ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(3)        \
      ->ComputeStatistics("min", min_of)->ReportAggregatesOnly(true)

// Args: days, min size, mean segment length.
TP_FPOP_BENCH(BM_single_l2, pelt, Method::pelt)
    ->Args({100000, 2, 2000})->Args({1000000, 2, 2000})->Args({1000000, 20, 2000})
    ->Args({100000, 2, 200})->Args({1000000, 20, 200});
TP_FPOP_BENCH(BM_single_l2, fpop, Method::fpop)
    ->Args({100000, 2, 2000})->Args({1000000, 2, 2000})->Args({1000000, 20, 2000})
    ->Args({100000, 2, 200})->Args({1000000, 20, 200});
TP_FPOP_BENCH(BM_panel_l2, pelt, Method::pelt);
TP_FPOP_BENCH(BM_panel_l2, fpop, Method::fpop);
TP_FPOP_BENCH(BM_panel_mbic, pelt, Method::pelt);
TP_FPOP_BENCH(BM_panel_mbic, fpop, Method::fpop);
TP_FPOP_BENCH(BM_real_mbic, pelt, Method::pelt);
TP_FPOP_BENCH(BM_real_mbic, fpop, Method::fpop);

}  // namespace
}  // namespace turnpoint::bench

BENCHMARK_MAIN();
