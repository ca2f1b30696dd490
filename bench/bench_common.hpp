// Shared inputs of the solver benchmarks (bench/*_bench.cpp): the real 155-series Carbon
// Monitor China panel (read from ../shared/datasets, never copied into the repository)
// and synthetic piecewise-constant panels of 10^2..10^4 series x 1461 days, plus one
// runner that calls turnpoint::detect(..., Backend::cpu) and reports series/s.
#pragma once
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

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

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

// The five Carbon Monitor China sector files (columns date,state,value,sector found by
// header name, UTF-8 BOM tolerated): one series per (sector, province), on the union of
// all dates; days a series lacks are NaN. Series order: sector file order, then province
// name, the order bench/compare_ruptures.py uses too.
inline BenchPanel load_carbon_monitor_panel() {
  BenchPanel p;
  const std::string dir = std::string(TURNPOINT_SOURCE_DIR) + "/../shared/datasets/carbon_monitor_china_daily/";
  const char* sectors[] = {"Aviation", "Ground_Transport", "Industry", "Power", "Residential"};
  std::map<std::pair<std::string, std::string>, std::map<std::int32_t, double>> cells;
  std::vector<std::pair<std::string, std::string>> keys;
  std::map<std::int32_t, int> all_days;
  for (const char* sector : sectors) {
    const std::string path = dir + sector + "_result.csv";
    std::ifstream in(path);
    if (!in) {
      p.error = "real panel absent: cannot open " + path;
      return p;
    }
    std::string line;
    std::getline(in, line);
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto header = split_csv_line(line);
    auto col = [&](const char* name) {
      return static_cast<int>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    const int c_date = col("date"), c_state = col("state"), c_value = col("value");
    const int n_cols = static_cast<int>(header.size());
    if (c_date >= n_cols || c_state >= n_cols || c_value >= n_cols) {
      p.error = path + ": header lacks date, state or value";
      return p;
    }
    std::vector<std::pair<std::string, std::string>> sector_keys;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      const auto f = split_csv_line(line);
      if (static_cast<int>(f.size()) < n_cols) continue;
      int y = 0, m = 0, d = 0;
      if (std::sscanf(f[c_date].c_str(), "%d-%d-%d", &y, &m, &d) != 3) {
        p.error = path + ": bad date '" + f[c_date] + "'";
        return p;
      }
      const std::int32_t day = days_from_civil(y, m, d);
      const std::pair<std::string, std::string> key{sector, f[c_state]};
      auto& series = cells[key];
      if (series.empty()) sector_keys.push_back(key);
      series[day] = std::stod(f[c_value]);
      all_days.emplace(day, 0);
    }
    std::sort(sector_keys.begin(), sector_keys.end());
    keys.insert(keys.end(), sector_keys.begin(), sector_keys.end());
  }
  int idx = 0;
  for (auto& [day, i] : all_days) {
    i = idx++;
    p.days.push_back(day);
  }
  p.n_series = static_cast<std::int64_t>(keys.size());
  p.n_time = static_cast<int>(p.days.size());
  p.values.assign(static_cast<size_t>(p.n_series) * p.n_time, std::numeric_limits<double>::quiet_NaN());
  for (std::int64_t s = 0; s < p.n_series; ++s)
    for (const auto& [day, v] : cells[keys[s]]) p.values[s * p.n_time + all_days[day]] = v;
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
