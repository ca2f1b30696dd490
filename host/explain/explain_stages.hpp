// The stages both explanation models share (host/explain/explain.hpp), each with one job
// and its own test (tests/explain/explain_stages_test.cpp).
#pragma once
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/core/detections.hpp"
#include "host/core/panel.hpp"
#include "host/explain/explain.hpp"

namespace turnpoint::explain {

// The series in the units the model works in: log(y) where every non-missing value is
// > 0 (`logged`), else y; with `standardise`, then centred on its median and (not logged)
// divided by a robust scale, so the model sees the same numbers whatever the series' units
// (1e-200 or 1e200) or offset, and sums of squares neither overflow nor cancel.
struct ModelledPanel {
  std::vector<double> values;        // [N * T]
  std::vector<std::uint8_t> logged;  // [N]
  std::vector<double> scale;         // [N] what values were divided by (1 when logged)
  std::vector<double> centre;        // [N] what was subtracted first (0 when not standardised)
};
ModelledPanel model_scale(const Panel& panel, bool log_scale, bool standardise);

// Robust scale of a series: the MAD of its non-missing values about their median / 0.6745,
// else their largest absolute value, else 1 (all zero or no value).
double robust_scale(const double* y, int n);

// TurningPoint::step: the relative change of the level from a move in the modelled units:
// exp(move) - 1 for a logged series; move / |level before| otherwise -- NaN when the level
// before is under `floor` (a series near zero, where a relative change means nothing).
double relative_step(double move, double level_before, bool logged, double floor = 0.0);

// Ranks the points of one series by confidence (NaN counts as 0), then gain; keeps the
// first max_points with rank 1.. and returns them sorted by day.
std::vector<TurningPoint> rank_and_keep(std::vector<TurningPoint> points, int max_points);

// Copies the panel's descriptive fields into the result where they are empty.
void describe_panel(const Panel& panel, DetectionSet& set);

// Every explanation setting, for the result's /config json (under "explain").
nlohmann::json explain_settings_json(const ExplainOptions& options);

}  // namespace turnpoint::explain
