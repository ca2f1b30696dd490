// Scenario generator: panels that look like Carbon Monitor China (per-sector levels and
// noise, weekly and yearly cycles, Spring Festival dips, Industry-like month-to-month steps,
// missing days) with injected turning points of known day, kind and size (docs/generator.md).
//
// Every series draws from its own random streams, seeded from (seed, series index), so a
// panel is the same whatever the thread count or the chunk size it is produced in.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "host/core/detections.hpp"  // TurnKind
#include "host/core/panel.hpp"

namespace turnpoint {

enum class TruthSubtype : std::int8_t {
  level_shift = 0,       // event: level times (1 + size) from the day on
  trend_break = 1,       // event: extra trend of `size` (fraction of level) per year
  shock = 2,             // event: temporary drop of `size` with exponential recovery
  weekly_amplitude = 3,  // seasonal: weekly amplitude times (1 + size)
  yearly_amplitude = 4,  // seasonal: yearly amplitude times (1 + size)
  yearly_phase = 5,      // seasonal: yearly cycle shifted by `size` days
};
const char* to_string(TruthSubtype s);
TruthSubtype parse_truth_subtype(const std::string& s);
TurnKind kind_of(TruthSubtype s);

struct TruthPoint {
  std::int64_t series = 0;
  std::int32_t index = 0;  // 0-based index of the first day of the new segment
  std::int32_t day = 0;    // days since 1970-01-01
  TurnKind kind = TurnKind::event;
  TruthSubtype subtype = TruthSubtype::level_shift;
  double size = 0.0;
  std::int32_t annotator = 0;
};

// Truth of a panel: points sorted by (series, annotator, index). Annotator 0 is the exact
// injected truth; annotators 1.. are noisy copies (jittered days, some points missed), like
// the several human annotators of the TCPD benchmark.
struct Truth {
  std::int32_t n_annotators = 1;
  std::vector<TruthPoint> points;
};

struct GeneratorConfig {
  std::int64_t n_series = 155;
  int n_days = 1461;
  std::uint64_t seed = 1;
  std::int32_t start_day = 17897;  // 2019-01-01
  double missing = 0.0;            // fraction of days missing (independent per day)
  int max_events = 2;              // events per series: uniform on 0..max_events
  int max_seasonal = 1;            // seasonal changes per series: uniform on 0..max_seasonal
  int edge_days = 60;              // no turning point closer than this to either end
  int min_spacing = 90;            // days between two turning points of one series
  double noise = 1.0;              // multiplies every sector's noise level
  int n_annotators = 1;
  double annotator_jitter = 3.0;   // sd of an extra annotator's day error (days)
  double annotator_miss = 0.1;     // chance an extra annotator misses a point
};

// Throws invalid_input naming the setting when a config cannot be generated.
void validate(const GeneratorConfig& config);

// The default panel of `turnpoint demo`: 31 provinces x 5 sectors x 1461 days from
// 2019-01-01, seed 20190101, a few known turning points per series.
GeneratorConfig demo_config();

// Generates series [first, first + count) into rows[count][n_days] and appends their truth
// (sorted) to `truth`. Parallel over series (OpenMP).
class Generator {
 public:
  explicit Generator(const GeneratorConfig& config);
  const GeneratorConfig& config() const { return config_; }
  const std::vector<std::int32_t>& time() const { return time_; }
  void generate(std::int64_t first, std::int64_t count, double* rows,
                std::vector<TruthPoint>* truth) const;
  // Names of series i: region (a province), sector (a Carbon Monitor sector), series id.
  std::string region(std::int64_t i) const;
  std::string sector(std::int64_t i) const;
  std::string series_id(std::int64_t i) const;

 private:
  void generate_one(std::int64_t i, double* row, std::vector<TruthPoint>* truth) const;
  GeneratorConfig config_;
  std::vector<std::int32_t> time_;
  std::vector<std::int8_t> dow_;         // 0 = Monday
  std::vector<double> year_angle_;       // 2 pi (day of year) / 365.25
  std::vector<double> festival_shape_;   // 0..1 depth profile of the Spring Festival dip
  std::vector<std::int32_t> month_slot_; // months since the first month of the panel
  int n_months_ = 0;
};

// A whole panel in memory (small panels, tests, the demo). truth may be null.
Panel generate_panel(const GeneratorConfig& config, Truth* truth);

}  // namespace turnpoint
