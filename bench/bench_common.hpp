// Shared inputs of the solver benchmarks (bench/*_bench.cpp): the real 155-series Carbon
// Monitor China panel (bench/cm_panel.hpp; never copied into the repository)
// and synthetic piecewise-constant panels of 10^2..10^4 series x 1461 days, plus one
// runner that calls turnpoint::detect(..., Backend::cpu) and reports series/s.
#pragma once
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "bench/cm_panel.hpp"
#include "host/core/calendar.hpp"

#include "kernels/detect.hpp"

namespace turnpoint::bench {

struct BenchPanel {
  std::int64_t n_series = 0;
  int n_time = 0;
  std::vector<double> values;     // [n_series][n_time], NaN = missing
  std::vector<std::int32_t> days;  // days since 1970-01-01
  std::string error;               // non-empty when the panel could not be built
};

// The real panel (bench/cm_panel.hpp: the bundle's panel file, else the five CSV files of
// ../shared/datasets/carbon_monitor_china_daily).
inline BenchPanel load_carbon_monitor_panel() {
  CmPanel cm = find_cm_panel({TURNPOINT_SOURCE_DIR "/../shared/datasets/carbon_monitor_china_daily"});
  BenchPanel p;
  if (!cm.ok()) {
    p.error = "real panel absent: " + cm.error;
    return p;
  }
  p.n_series = cm.n_series;
  p.n_time = cm.n_time;
  p.values = std::move(cm.values);
  p.days = std::move(cm.days);
  return p;
}

inline const BenchPanel& real_panel() {
  static const BenchPanel p = load_carbon_monitor_panel();
  return p;
}

// n_series series of n_time days from 2019-01-01: 0..8 changes at random days (segments
// of at least 30 days), level jumps of 1..4 noise units, Gaussian noise, a weekly cycle.
inline BenchPanel synthetic_panel(std::int64_t n_series, int n_time = 1461, unsigned seed = 2026) {
  BenchPanel p;
  p.n_series = n_series;
  p.n_time = n_time;
  const std::int32_t start = days_from_civil(2019, 1, 1);
  for (int t = 0; t < n_time; ++t) p.days.push_back(start + t);
  p.values.resize(static_cast<size_t>(n_series) * n_time);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::uniform_int_distribution<int> n_changes(0, 8);
  std::uniform_real_distribution<double> jump(1.0, 4.0);
  std::bernoulli_distribution up(0.5);
  for (std::int64_t s = 0; s < n_series; ++s) {
    std::vector<int> cps;
    const int k = n_changes(rng);
    std::uniform_int_distribution<int> day(30, n_time - 30);
    for (int i = 0; i < k; ++i) cps.push_back(day(rng));
    std::sort(cps.begin(), cps.end());
    double level = 10.0;
    size_t next = 0;
    for (int t = 0; t < n_time; ++t) {
      while (next < cps.size() && cps[next] == t) {
        level += up(rng) ? jump(rng) : -jump(rng);
        ++next;
      }
      p.values[s * n_time + t] = level + 0.3 * (t % 7 == 5 || t % 7 == 6) + noise(rng);
    }
  }
  return p;
}

// Synthetic panels are built once per size and kept for the whole run.
inline const BenchPanel& synthetic(std::int64_t n_series) {
  static std::map<std::int64_t, BenchPanel> cache;
  auto it = cache.find(n_series);
  if (it == cache.end()) it = cache.emplace(n_series, synthetic_panel(n_series)).first;
  return it->second;
}

// Times turnpoint::detect on the CPU backend over the whole panel per iteration.
inline void run_detect(benchmark::State& state, const BenchPanel& panel, const DetectConfig& cfg) {
  if (!panel.error.empty()) {
    state.SkipWithError(panel.error.c_str());
    return;
  }
  std::int64_t changes = 0;
  for (auto _ : state) {
    DetectResult r = detect(panel.values.data(), panel.n_series, panel.n_time, panel.days.data(),
                            cfg, Backend::cpu);
    changes = 0;
    for (const auto& s : r.series) changes += static_cast<std::int64_t>(s.changes.size());
    benchmark::DoNotOptimize(r);
  }
  state.counters["series/s"] = benchmark::Counter(static_cast<double>(panel.n_series),
                                                  benchmark::Counter::kIsIterationInvariantRate);
  state.counters["series"] = static_cast<double>(panel.n_series);
  state.counters["days"] = panel.n_time;
  state.counters["changes"] = static_cast<double>(changes);
}

inline DetectConfig config(Method method, CostKind cost, int max_changes = 10, int min_size = 2) {
  DetectConfig c;
  c.method = method;
  c.cost = cost;
  c.penalty = Penalty{PenaltyKind::mbic, 0.0};
  c.max_changes = max_changes;
  c.min_size = min_size;
  c.noise = NoiseScale::mad;
  if (cost == CostKind::regression) {
    c.basis.trend = true;
    c.basis.weekly = 1;
  }
  return c;
}

}  // namespace turnpoint::bench
