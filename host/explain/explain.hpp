// Turning points that mean something (docs/seasonality.md): detection with the regression
// cost on a basis of intercept + trend + weekly and yearly harmonics + holiday dummies (so
// the regular cycle and the Spring Festival dip are modelled, not detected), then per
// turning point its kind (event / seasonal), a bootstrap confidence and day interval, and a
// rank; at most `max_points` per series are kept.
#pragma once
#include <cstdint>
#include <string>

#include "host/core/detections.hpp"
#include "host/core/panel.hpp"
#include "kernels/detect.hpp"

namespace turnpoint {

enum class HolidayCalendar { none, china, file };

struct ExplainOptions {
  // The model of the regular pattern.
  bool trend = true;
  int weekly = 3;   // weekly harmonic pairs (3 = any weekly profile)
  int yearly = 2;   // yearly harmonic pairs
  HolidayCalendar holidays = HolidayCalendar::china;
  std::string holiday_file;  // CSV date,name (HolidayCalendar::file)
  // Model log(y) for a series whose non-missing values are all > 0: emissions are
  // level x cycle x noise, so in logs the weekly and yearly cycles and the holiday dips are
  // additive and the noise has one scale (a series with a zero is modelled as it is).
  bool log_scale = true;
  // Spring Festival shape: subtract the median residual profile over the years from
  // New Year - 10 to + 27 days (kernels/classify_batch.hpp, subtract_anchor_profile);
  // china calendar only.
  bool festival_profile = true;
  // Long-run noise scale over batches of this many days (kernels/classify_batch.hpp,
  // noise_scale_cpu); 0 = day-to-day scale only.
  int noise_batch = 28;
  double noise_batch_cap = 3.0;  // the long-run scale is at most this x the day-to-day one
  // Penalty: when the detection's penalty is a predefined one (mbic, bic, aic, hq), it is
  // evaluated with this many changing parameters instead of the whole basis (a turning
  // point moves the level and trend and a few pattern coefficients, not all p of them;
  // with d = p the MBIC penalty is ~20 log n and misses 2-3 sigma shifts) and applied as a
  // manual penalty (no MBIC segment term). 0 = use the detection's penalty unchanged.
  int penalty_parameters = 6;
  // Classification: level of the seasonal-group test.
  double alpha = 1e-3;
  // Confidence: moving-block bootstrap of the residuals (0 replicates = not computed).
  int replicates = 200;
  int block = 0;        // days; 0 = max(14, n^(1/3))
  int tolerance = 7;    // h: +- days within which a replicate's change counts
  int search = 14;      // W: +- days within which a replicate re-locates a change
  // Only the `scored` largest-gain turning points of a series are bootstrapped (0 = all);
  // the others are dropped from the report (docs/seasonality.md, "Ranking").
  int scored = 20;
  double interval = 0.90;
  // Report the calibrated confidence (host/explain/confidence_calibration.hpp) instead of the raw
  // bootstrap stability. The map was fitted for B = 200 and h = 7.
  bool calibrate = true;
  std::uint64_t seed = 20261121;
  // Report only turning points whose confidence is at least this (when the bootstrap ran):
  // with the calibrated confidence, 0.5 keeps the points more likely real than not
  // (docs/seasonality.md, "Ranking"). 0 = keep every scored point.
  double min_confidence = 0.5;
  // Ranking: at most this many turning points per series (by confidence, then gain).
  int max_points = 10;
};

// Throws invalid_input naming the option when a setting is out of range.
void validate(const ExplainOptions& options);

// The detection settings the explanation uses: `base` with the regression cost, the
// options' basis (holiday regressors over panel.time) and noise scale `none` (the series
// are divided by the residual noise scale before detection, see explain.cpp).
DetectConfig explain_config(const Panel& panel, const DetectConfig& base,
                            const ExplainOptions& options);

// Wall-clock seconds of the stages of classify_and_score (for bench/bootstrap_bench.cpp).
struct ExplainTimings {
  double noise_s = 0, detect_s = 0, classify_s = 0, bootstrap_s = 0;
};

// Runs detection with explain_config on every series and replaces set.points and
// set.summary with the classified, scored and ranked turning points (kind, confidence,
// ci_lo/ci_hi as indices, gain, rank); set.config becomes the configuration used and the
// descriptive fields (time, region, sector, series_id, units) are filled when empty.
void classify_and_score(const Panel& panel, const DetectConfig& config,
                        const ExplainOptions& options, DetectionSet& set,
                        Backend backend = Backend::automatic, ExplainTimings* timings = nullptr);

}  // namespace turnpoint
