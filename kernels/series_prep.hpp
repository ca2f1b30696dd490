// Per-series preparation shared by every backend: validation, the span the solver sees
// (leading and trailing missing days trimmed), the standardisation that keeps every sum of
// squares inside the double range, and the noise scale sigma. docs/reliability.md states
// the numerical range this guarantees.
#pragma once
#include <cstdint>
#include <vector>

#include "kernels/detect.hpp"

namespace turnpoint::kernels {

struct SeriesPrep {
  SeriesStatus status = SeriesStatus::ok;
  int n_valid = 0;
  // The solver sees days [begin, end): a series padded with missing days at either end is
  // segmented exactly as the same series alone, its changes shifted by `begin`.
  int begin = 0;
  int end = 0;
  // The solver sees y = (x * pre - shift) * post: pre and post are powers of two, so y is
  // the centred series (x - mean) to the last bit, only brought to a largest deviation in
  // [1, 2): no square over- or underflows whatever the series' magnitude. Two factors, not
  // one: their product may leave the double range (values 1e-300 that differ by 1e-316).
  // Poisson: all 1 and 0 (its cost is not scale-invariant and needs the data as given).
  double pre = 1.0;
  double shift = 0.0;  // the mean, in units of x * pre
  double post = 1.0;
  double sigma = 1.0;      // noise scale of the mean and regression costs, in data units
  double inv_var = 1.0;    // 1 / sigma^2 in the solver's units (--noise none: sigma = 1 data unit)
  double var_floor = 0.0;  // of the mean-and-variance cost, in the solver's units
  // Mean-and-variance cost: segment costs in the solver's units are the data's plus
  // (valid days) * log((pre * post)^2); unscale_cost() takes that constant off again.
  double cost_offset = 0.0;

  double value(double x) const { return (x * pre - shift) * post; }
  double unscale_cost(double cost_in_solver_units) const { return cost_in_solver_units - cost_offset; }
};

// sigma = MAD(first differences) / (0.6745 sqrt 2), the usual robust noise estimate for
// piecewise-constant signals (it ignores the few large jumps). When more than half the
// differences are 0 (series constant within months) MAD is 0: the standard deviation of
// the differences / sqrt 2 is used instead. A series whose non-missing values are all
// equal gets status `constant` and no turning points. Throws invalid_input, naming
// `series_label`, for +-inf, for negative values with the Poisson cost, and for a series
// outside the range turnpoint can segment without a silent wrong answer: with the
// mean-and-variance, mean or regression cost, noise below 1e-140 of the series' range;
// with --noise none, deviations from the mean outside 1e-140..1e140 (their squares leave
// the double range); with the Poisson cost, a sum of values above 1e300.
SeriesPrep prepare_series(const double* x, int n, const DetectConfig& config,
                          const char* series_label);

// Checks that the prefix sums of one series (ns statistics, n + 1 positions each, layout of
// kernels/prefix.hpp) are finite; throws invalid_input naming the series and the first day
// whose statistics are not (`first_day`: the index of the solver's day 0 in the series).
void check_prefix_finite(const double* hi, const double* lo, int ns, int n, const char* series_label,
                         int first_day);

// Brings a result computed on the span [begin, end) in the solver's units back to the
// series: changes (and every path and CROPS segmentation) shifted by `begin`, costs
// unscaled. Then checks that every cost and gain is finite: a NaN or an infinity there is
// an error naming the series and the first day of the segment it came from.
void finish_series(const SeriesPrep& prep, const char* series_label, SeriesDetection& r);

// A panel whose series' spans differ, as groups of series with one span each, so that a
// backend that runs one series length per batch (CUDA) segments each series on its own
// span. Series that are empty or constant go with the full span.
struct SpanGroup {
  int begin = 0;
  int end = 0;
  std::vector<std::int64_t> series;
};
std::vector<SpanGroup> span_groups(const double* values, std::int64_t n_series, int n_time);

}  // namespace turnpoint::kernels
