// Bootstrap confidence on the whole Carbon Monitor China panel (155 series x 1461 days,
// B = 200): the speed target of issue 4 (<= 60 s on 2 CPU cores), with PELT (binseg:0) and
// binary segmentation (binseg:1) as the detection step. One iteration each; the counters
// give each stage's wall seconds (noise scale, detection, classification, bootstrap).
//   build/bench/bootstrap_bench --benchmark_filter=Panel
// Results: bench/RESULTS.md. Needs ../shared/datasets/carbon_monitor_china_daily/.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "datasets/generator.hpp"
#include "host/core/dates.hpp"
#include "host/explain/explain.hpp"

namespace {

using namespace turnpoint;

const std::string kDir = TURNPOINT_SOURCE_DIR "/../shared/datasets/carbon_monitor_china_daily/";

bool load_panel(Panel& p) {
  for (const char* sector : {"Aviation", "Ground_Transport", "Industry", "Power", "Residential"}) {
    std::ifstream in(kDir + sector + "_result.csv");
    if (!in.good()) return false;
    std::map<std::string, std::map<std::int32_t, double>> by_region;
    std::string line, date, state, value;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::stringstream ss(line);
      std::getline(ss, date, ',');
      std::getline(ss, state, ',');
      std::getline(ss, value, ',');
      const auto d = parse_date(date);
      if (!d) return false;
      by_region[state][*d] = std::stod(value);
    }
    for (auto& [region, series] : by_region) {
      if (p.time.empty())
        for (auto& kv : series) p.time.push_back(kv.first);
      if (series.size() != p.time.size()) return false;
      p.region.push_back(region);
      p.sector.push_back(sector);
      p.series_id.push_back(region + "/" + sector);
      for (std::int32_t d : p.time) p.values.push_back(series.at(d));
    }
  }
  return true;
}

void BM_PanelConfidenceB200(benchmark::State& state) {
  Panel panel;
  if (!load_panel(panel)) {
    state.SkipWithError("Carbon Monitor China CSVs not found");
    return;
  }
  ExplainOptions o;
  o.replicates = static_cast<int>(state.range(0));
  ExplainTimings t;
  std::size_t points = 0;
  for (auto _ : state) {
    DetectionSet set;
    DetectConfig config;  // range(1): 0 = PELT (the default), 1 = binary segmentation
    if (state.range(1) == 1) {
      config.method = Method::binseg;
      config.max_changes = 20;
    }
    classify_and_score(panel, config, o, set, Backend::cpu, &t);
    points = set.points.size();
    // Optional dump of every turning point, for the distribution table in the docs.
    if (const char* out = std::getenv("TURNPOINT_POINTS_CSV")) {
      std::ofstream f(out);
      f << "series_id,status,day,kind,confidence,ci_lo,ci_hi,gain,rank\n";
      for (std::int64_t s = 0; s < panel.n_series(); ++s) {
        bool any = false;
        for (const TurningPoint& p : set.points) {
          if (p.series != s) continue;
          any = true;
          f << panel.series_id[s] << ',' << to_string(set.summary[s].status) << ',' << format_date(p.day) << ','
            << to_string(p.kind) << ',' << p.confidence << ',' << format_date(panel.time[p.ci_lo]) << ','
            << format_date(panel.time[p.ci_hi]) << ',' << p.gain << ',' << p.rank << '\n';
        }
        if (!any) f << panel.series_id[s] << ',' << to_string(set.summary[s].status) << ",,,,,,,\n";
      }
    }
  }
  state.counters["series"] = static_cast<double>(panel.n_series());
  state.counters["points"] = static_cast<double>(points);
  state.counters["noise_s"] = t.noise_s;
  state.counters["detect_s"] = t.detect_s;
  state.counters["classify_s"] = t.classify_s;
  state.counters["bootstrap_s"] = t.bootstrap_s;
}
BENCHMARK(BM_PanelConfidenceB200)
    ->Args({200, 0})
    ->Args({200, 1})
    ->ArgNames({"B", "binseg"})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

// The `turnpoint demo` panel (datasets/generator.hpp demo_config: 155 series x 1,461 days),
// B = 50, binary segmentation as the detection step (PELT takes minutes on these series).
void BM_DemoPanelB50Binseg(benchmark::State& state) {
  const Panel panel = generate_panel(demo_config(), nullptr);
  ExplainOptions o;
  o.replicates = 50;
  DetectConfig config;
  config.method = Method::binseg;
  config.max_changes = 20;
  ExplainTimings t;
  std::size_t points = 0;
  for (auto _ : state) {
    DetectionSet set;
    classify_and_score(panel, config, o, set, Backend::cpu, &t);
    points = set.points.size();
  }
  state.counters["points"] = static_cast<double>(points);
  state.counters["detect_s"] = t.detect_s;
  state.counters["bootstrap_s"] = t.bootstrap_s;
}
BENCHMARK(BM_DemoPanelB50Binseg)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
