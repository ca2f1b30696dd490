// The pattern model's stages (host/explain/explain.hpp), each with one job and its own test
// (tests/explain/explain_pattern_test.cpp; the shared ones in explain_stages_test.cpp):
//
//   model_scale -> pattern_design -> fit_pattern_cpu -> pattern_points -> reported -> rank_and_keep
#pragma once
#include <cstdint>
#include <vector>

#include "host/core/detections.hpp"
#include "host/core/panel.hpp"
#include "host/explain/explain.hpp"
#include "host/explain/explain_stages.hpp"
#include "kernels/pattern_search.hpp"

namespace turnpoint::explain {

// The design for the panel's axis: the options' pattern and families (model pattern) or
// the generic design (model generic).
kernels::PatternDesign pattern_design(const Panel& panel, const ExplainOptions& options);

// The search settings of the options.
kernels::PatternSearchSettings pattern_settings(const ExplainOptions& options);

// Standard deviation of a month's mean level under the fitted noise (month effect plus
// the mean of ~30.4 days of AR(1) noise), in the modelled units.
double month_level_sd(const kernels::PatternNoise& noise);

// Every turning point of series i from its fit, before any reporting rule: kind, day,
// interval, gain, level step (relative) and step z, confidence (calibrated or raw).
std::vector<TurningPoint> pattern_points(const kernels::PatternFit& fit,
                                         const kernels::PatternDesign& design, std::int64_t series,
                                         const ModelledPanel& modelled, const Panel& panel,
                                         const ExplainOptions& options);

// Whether a point is reported: its confidence (when computed) reaches min_confidence, and a point on the
// first day of a month in a series with month effects moves the level by at least
// month_step_z month-to-month standard deviations.
bool reported(const TurningPoint& point, const Panel& panel, bool month_effects,
              const ExplainOptions& options);

// The whole pattern model over the panel (explain_panel with model = pattern).
void explain_with_pattern(const Panel& panel, const ExplainOptions& options, DetectionSet& set,
                          ExplainTimings* timings, ExplainTally* tally);

}  // namespace turnpoint::explain
