// Calibrated confidence (docs/seasonality.md, "Confidence"): the bootstrap stability of a
// turning point (share of B replicates that re-find it, same kind, within +-h days) is a
// score, not a probability -- a misfit of the model is resampled along with the noise, so
// a spurious point (a month step of monthly-disaggregated data) can be re-found in every
// replicate. The confidence reported is the score mapped through a monotone (isotonic) map
// chosen by the point's kind and, for an event, its step z (how far it moves the level, in
// units of the series' month-to-month wandering: TurningPoint::step_z), fitted on generator panels with known
// truth (datasets/generator.hpp, seeds listed in the data file), so it means:
//   the estimated probability that a reported turning point lies within +-7 days of a true
//   turning point of the same kind,
// for the default explanation settings (B = 200, h = 7). The map is data:
// host/explain/confidence_calibration.inc, written by tools/calibration.py --fit.
#pragma once

#include "host/core/detections.hpp"
#include "host/explain/explain.hpp"

namespace turnpoint {

// Map of a stability score in [0, 1] to a probability in [0, 1], monotone non-decreasing in
// the score: the seasonal map for a seasonal point; for an event the map of the step-z band
// it falls in (the pooled map when step_z is NaN); linear interpolation between the fitted blocks' (mean score, fraction true) points,
// constant beyond the first and last. NaN stability stays NaN.
double calibrated_confidence(double stability, TurnKind kind, double step_z);

// The pattern model's confidence (docs/seasonality.md, "Confidence"): the estimated
// probability that a reported turning point lies within +-7 days of a true turning point of
// the same kind, from how far its gain exceeds its penalty -- a logistic map of
// x = log(gain / penalty) and u = log(days in its interval) per shape (a level step that
// clears its penalty tenfold on a day of its own is almost always real; a kink of the trend
// is mislocated more often than not; a yearly change whose likelihood is flat over weeks is
// rarely on its day), fitted on generator panels with known truth
// (host/explain/pattern_calibration.inc, written by tools/calibration.py --fit-pattern).
// NaN for a NaN or non-positive gain or penalty.
double pattern_confidence(double gain, double penalty, int interval_days, TurnShape shape);

// Where the model's map came from (the data file's provenance line), for config_json.
const char* calibration_source(ExplainModel model);

}  // namespace turnpoint
