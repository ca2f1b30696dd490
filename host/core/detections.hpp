// The result model written to detections.h5 (docs/schema.md): one row per turning point,
// per-series summaries, the optional K-path (segneigh/binseg) and CROPS path, and the
// configuration that produced it all.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "host/core/panel.hpp"
#include "kernels/detect.hpp"

namespace turnpoint {

enum class TurnKind : std::int8_t { unclassified = -1, event = 0, seasonal = 1 };
const char* to_string(TurnKind k);

// What changed at a turning point (the pattern model's change families): the level steps,
// the trend bends, both, a transient drop or rise that fades, the weekly or the yearly
// cycle changes; unknown for the solvers that only place a change.
enum class TurnShape : std::int8_t {
  unknown = -1, level = 0, trend = 1, level_trend = 2, transient = 3, weekly = 4, yearly = 5
};
const char* to_string(TurnShape s);

struct TurningPoint {
  std::int32_t series = 0;   // row of the panel
  std::int32_t index = 0;    // 0-based index of the FIRST day of the new segment
  std::int32_t day = 0;      // that day, days since 1970-01-01
  TurnKind kind = TurnKind::unclassified;
  TurnShape shape = TurnShape::unknown;
  double confidence = std::nan("");  // in [0, 1]; NaN = not computed
  std::int32_t ci_lo = -1;   // interval for the index (inclusive); -1 = not computed
  std::int32_t ci_hi = -1;
  double gain = 0.0;         // cost decrease this change brings given its neighbours
  // Level step across the point (explanation only; NaN = not computed): `step` is the
  // relative change of the fitted level, week after vs week before (-0.30 = a 30 % drop);
  // `step_z` is that move in units of how far a month's level wanders by itself
  // (docs/seasonality.md, "Confidence").
  double step = std::nan("");
  double step_z = std::nan("");
  std::int32_t rank = 0;     // 1 = most important in its series
};

struct PathEntry {  // one solution of the segneigh / binseg path
  std::int32_t series = 0;
  std::int32_t k = 0;
  double cost = 0.0;
  std::vector<std::int32_t> changes;
};

struct CropsEntry {
  std::int32_t series = 0;
  double pen_lo = 0.0, pen_hi = 0.0, cost = 0.0;
  std::vector<std::int32_t> changes;
};

struct SeriesSummary {
  SeriesStatus status = SeriesStatus::ok;
  std::int32_t n_valid = 0;
  std::int32_t n_changes = 0;
  double cost = 0.0;
  double penalty = 0.0;
  double sigma = 1.0;
};

struct DetectionSet {
  // What was analysed (copied from series.h5 so a result file stands alone).
  std::vector<std::int32_t> time;
  Frequency frequency = Frequency::daily;  // of `time` (dates are printed at its precision)
  std::vector<std::string> region, sector, series_id;
  std::string input;        // path of the series file
  std::string input_fingerprint;  // of its content (host/core/panel_fingerprint.hpp); "" if unknown
  std::string units;
  // How: every setting (JSON, see host/core/config_json.hpp) and the engine version.
  DetectConfig config;
  std::string config_json;
  std::string engine_version = TURNPOINT_VERSION;
  std::string backend;      // backend that ran
  // What was found.
  std::vector<SeriesSummary> summary;  // [N]
  std::vector<TurningPoint> points;    // sorted by (series, index)
  std::vector<PathEntry> path;
  std::vector<CropsEntry> crops;
};

// Builds the result model from a panel and the engine's output (ranks by gain).
DetectionSet make_detection_set(const Panel& panel, const DetectConfig& config,
                                const DetectResult& result, const std::string& input);

}  // namespace turnpoint
