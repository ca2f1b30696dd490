// Turning points that mean something (docs/seasonality.md): the series is explained by a
// model of its regular pattern (trend, weekly and yearly cycles, holidays and the Spring
// Festival), so the ordinary turns of the year are fitted, not detected; each turning point
// gets a kind (event / seasonal), a confidence, an interval for its day, its level step and
// a rank.
//
// Two models:
//  * pattern (the default): one shared pattern per series, turning points as changes added
//    to it (a level step, a kink, a transient, a change of the weekly or yearly cycle),
//    month effects and AR(1) noise, chosen by generalised least squares
//    (kernels/pattern_search.hpp, host/explain/explain_pattern.cpp);
//  * generic: the same search on a pattern of intercept and trend only, with AR(1) noise
//    and the families step, kink and both -- for series that are short, not daily or have
//    no dates (no calendar to model); no calibrated confidence (none is fitted for it);
//  * segments (the previous pipeline, kept for comparison): each segment fits the whole
//    basis by itself, detection by an exact or binary-segmentation solver on the regression
//    cost, then a split test for the kind and a block bootstrap for the confidence
//    (host/explain/explain_segments.cpp).
#pragma once
#include <cstdint>
#include <string>

#include "host/core/detections.hpp"
#include "host/core/panel.hpp"
#include "host/explain/holidays.hpp"
#include "kernels/detect.hpp"

namespace turnpoint {

enum class ExplainModel { pattern, generic, segments };
const char* to_string(ExplainModel m);
ExplainModel parse_explain_model(const std::string& name);  // pattern, generic, segments

// The default model for a panel's axis, and why (for the user): the pattern model for a
// daily axis spanning at least a year (at least 90 % of its steps are one day), the
// generic model otherwise (short, non-daily or index-only series).
struct ModelChoice {
  ExplainModel model = ExplainModel::pattern;
  std::string reason;
};
ModelChoice choose_model(const std::vector<std::int32_t>& time);
// The same with the axis' stored frequency (Panel::frequency): an index axis has no dates.
ModelChoice choose_model(const std::vector<std::int32_t>& time, Frequency frequency);

struct ExplainOptions {
  ExplainModel model = ExplainModel::pattern;

  // ---- the regular pattern (both models) ---------------------------------------------
  bool trend = true;
  int weekly = 3;   // weekly harmonic pairs (3 = any weekly profile)
  int yearly = 2;   // yearly harmonic pairs
  HolidayCalendar holidays = HolidayCalendar::china;
  std::string holiday_file;  // CSV date,name (HolidayCalendar::file)
  // Model log(y) for a series whose non-missing values are all > 0: emissions are
  // level x cycle x noise, so in logs the weekly and yearly cycles and the holiday dips are
  // additive and the noise has one scale (a series with a zero or a negative value is
  // modelled as it is, divided by a robust scale).
  bool log_scale = true;

  // ---- the pattern model -------------------------------------------------------------
  // Yearly harmonic pairs of the pattern model's regular pattern (the segments model uses
  // `yearly`): 4 pairs follow a monthly profile (a Spring Festival month, a summer peak)
  // that 2 miss -- real monthly-disaggregated series leave that misfit to the month effects,
  // which then hide moderate multi-month events. The yearly change family uses the first 2
  // pairs (an amplitude or phase change of the cycle).
  int pattern_yearly = 4;
  bool months = true;             // month effects (their size is estimated; 0 = none)
  bool seasonal_changes = true;   // also search changes of the weekly and yearly cycles
  double penalty_multiplier = 1.0;  // x (k + 2) log n per change of a k-column family
  int max_changes = 10;           // forward steps at most per series
  int min_gap = 7;                // days between turning points and from the ends

  // ---- the segments model ------------------------------------------------------------
  // Spring Festival shape: subtract the median residual profile over the years from
  // New Year - 10 to + 27 days (kernels/classify_batch.hpp, subtract_anchor_profile);
  // china calendar only.
  bool festival_profile = true;
  // Long-run noise scale over batches of this many days (kernels/classify_batch.hpp,
  // noise_scale_cpu); 0 = day-to-day scale only.
  int noise_batch = 28;
  double noise_batch_cap = 3.0;  // the long-run scale is at most this x the day-to-day one
  // Penalty: a predefined penalty (mbic, bic, aic, hq) is evaluated with this many changing
  // parameters instead of the whole basis and applied as a manual penalty. 0 = unchanged.
  int penalty_parameters = 6;
  double alpha = 1e-3;  // level of the seasonal-group test
  // Confidence: moving-block bootstrap of the residuals (0 replicates = not computed).
  int replicates = 200;
  int block = 0;        // days; 0 = max(14, n^(1/3))
  int tolerance = 7;    // h: +- days within which a replicate's change counts
  int search = 14;      // W: +- days within which a replicate re-locates a change
  int scored = 20;      // bootstrap only the `scored` largest-gain changes (0 = all)
  double interval = 0.90;
  std::uint64_t seed = 20261121;

  // ---- reporting (both models) -------------------------------------------------------
  // Report the calibrated confidence (host/explain/confidence_calibration.hpp) instead of
  // the raw score (the segments model's bootstrap stability, the pattern model's
  // gain / penalty).
  bool calibrate = true;
  // Report only turning points whose confidence is at least this: with the calibrated
  // confidence, 0.5 keeps the points more likely real than not. 0 = keep every point.
  double min_confidence = 0.5;
  // A turning point on the first day of a month, in a series with month effects, is
  // reported only when its level step is exceptional: at least this many standard
  // deviations of the series' own month-to-month steps (step_z). 0 = no such rule.
  double month_step_z = 4.0;
  int max_points = 10;  // at most this many per series, by confidence then gain
};

// Throws invalid_input naming the option when a setting is out of range.
void validate(const ExplainOptions& options);

// Wall-clock seconds of the stages (bench/bootstrap_bench.cpp).
struct ExplainTimings {
  double noise_s = 0, detect_s = 0, classify_s = 0, bootstrap_s = 0;
};

// What happened to the candidates, for the summary a user reads (turnpoint detect).
struct ExplainTally {
  std::int64_t candidates = 0;          // turning points the model found
  std::int64_t below_confidence = 0;    // dropped: confidence < min_confidence
  std::int64_t ordinary_month_steps = 0;  // dropped: month step not exceptional
  std::int64_t over_max_points = 0;     // dropped: beyond max_points
  std::int64_t reported = 0;
  std::int64_t series_constant = 0;     // status constant (all zero, or no variation)
  std::int64_t series_too_short = 0;    // status empty (no or too few values)
  std::int64_t series_none_reported = 0;  // ok, but no turning point reported
};

// Explains every series of the panel with options.model and replaces set.points and
// set.summary with the reported turning points (kind, confidence, ci_lo/ci_hi as indices,
// gain, step, rank); set.config and set.config_json record the settings; the descriptive
// fields (time, region, sector, series_id, units) are filled when empty. `base` carries
// the solver settings of the segments model (its method, penalty, max_changes, min_size).
void explain_panel(const Panel& panel, const DetectConfig& base, const ExplainOptions& options,
                   DetectionSet& set, Backend backend = Backend::automatic,
                   ExplainTimings* timings = nullptr, ExplainTally* tally = nullptr);

// ---- the segments model (host/explain/explain_segments.cpp) ----------------------------

// The detection settings of the segments model: `base` with the regression cost, the
// options' basis (holiday regressors over panel.time) and noise scale `none` (the series
// are divided by the residual noise scale before detection).
DetectConfig explain_config(const Panel& panel, const DetectConfig& base,
                            const ExplainOptions& options);

// The segments model on every series (explain_panel with model = segments).
void classify_and_score(const Panel& panel, const DetectConfig& config,
                        const ExplainOptions& options, DetectionSet& set,
                        Backend backend = Backend::automatic, ExplainTimings* timings = nullptr);

}  // namespace turnpoint
