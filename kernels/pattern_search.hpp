// Turning points of the pattern model (kernels/pattern_model.hpp), one series at a time:
// forward selection of the change (day, family) with the largest penalised gain -- or of a
// pair of level steps that pays only together (a drop and its recovery, one step looked
// ahead) -- then each change re-located given the others, then backward elimination of
// changes whose gain given all the others no longer pays for their penalty.
//
// A family with k columns pays mult * (k + 2) * log(nv) per change, the MBIC rule (R's
// changepoint uses (d + 2) log n for d changing parameters): k coefficients and the day.
// Gains are generalised-least-squares drops of the residual sum of squares / sigma_e^2
// (docs/seasonality.md, "The pattern model"), computed for every candidate day at once
// from the suffix sums of kernels/pattern_whitening.hpp and downdated as columns join the
// model (Gram-Schmidt), so a forward step costs O(days x columns).
#pragma once
#include <cstdint>
#include <vector>

#include "kernels/detect.hpp"
#include "kernels/pattern_model.hpp"

namespace turnpoint::kernels {

struct PatternSearchSettings {
  double penalty_multiplier = 1.0;  // x (k + 2) log(nv) per change of a k-column family
  int min_gap = 7;           // days between two changes, and from the ends of the series
  int max_changes = 10;      // forward steps at most
  int relocate_window = 30;  // +- days a change moves when re-located given the others
  int refine_sweeps = 2;
  // Interval for the day: the days within +-relocate_window whose gain is within this of
  // the best (the likelihood-ratio set; 2.706 = the 90 % point of chi-square with 1 degree).
  double interval_drop = 2.706;
  // ... widened over the adjacent days the final model misses by more than this many
  // sigma_e in the direction of the move (a gradual change; pattern_search_cpu.cpp).
  double transition_sigmas = 3.0;
  std::vector<std::uint8_t> families;  // [families] 1 = searched; empty = all
  int level_window = 7;      // days over which a change's level step is averaged
};

struct PatternChange {
  int index = 0;       // day index on the axis: the first day of the new regime
  int family = 0;      // index into PatternDesign::families
  double gain = 0.0;   // drop of the whitened RSS / sigma_e^2, given all other changes
  double penalty = 0.0;
  int ci_lo = 0, ci_hi = 0;  // interval for the day (day indices, inclusive)
  // Mean effect of the change's columns over the level_window days from `index`, in the
  // units of y (the modelled units: logs for a logged series); 0 for a seasonal family
  // whose columns average out over a week.
  double level_step = 0.0;
  std::vector<double> coefficients;  // of the family's columns
};

struct PatternFit {
  SeriesStatus status = SeriesStatus::ok;
  int n_valid = 0;
  PatternNoise noise;
  double penalty_unit = 0.0;  // log(nv): the penalty of a k-column family is mult (k + 2) x this
  std::vector<PatternChange> changes;  // ascending by index
};

// The whole pipeline for one series: noise (kernels/pattern_noise.hpp), search, refinement,
// intervals and coefficients. y: [design.n], NaN = missing.
PatternFit fit_pattern(const PatternDesign& design, const double* y,
                       const PatternSearchSettings& settings);

// Every series of a panel (values [n_series][design.n]), in parallel (OpenMP).
std::vector<PatternFit> fit_pattern_cpu(const PatternDesign& design, const double* values,
                                        std::int64_t n_series,
                                        const PatternSearchSettings& settings);

// For tests: the gain of a change of `family` at every day index (0 where not a candidate,
// including days within min_gap of `given`), given the changes `given` (index, family) are
// in the model, with the noise fixed to `noise`. gains: [design.n].
std::vector<double> pattern_gains(const PatternDesign& design, const double* y,
                                  const PatternNoise& noise,
                                  const std::vector<std::pair<int, int>>& given, int family,
                                  int min_gap);

}  // namespace turnpoint::kernels
