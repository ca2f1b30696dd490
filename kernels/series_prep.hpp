// Per-series preparation shared by every backend: validation, the shift that removes the
// level before prefix sums (less cancellation), and the noise scale sigma.
#pragma once
#include <cstdint>

#include "kernels/detect.hpp"

namespace turnpoint::kernels {

struct SeriesPrep {
  SeriesStatus status = SeriesStatus::ok;
  int n_valid = 0;
  double shift = 0.0;  // subtracted from every value (0 for the Poisson cost)
  double sigma = 1.0;  // noise scale of the mean and regression costs
  double var_floor = 0.0;
};

// sigma = MAD(first differences) / (0.6745 sqrt 2), the usual robust noise estimate for
// piecewise-constant signals (it ignores the few large jumps). When more than half the
// differences are 0 (series constant within months) MAD is 0: the standard deviation of
// the differences / sqrt 2 is used instead. A series whose non-missing values are all
// equal gets status `constant` and no turning points. Throws invalid_input for +-inf, and
// for negative values with the Poisson cost, naming `series_label`.
SeriesPrep prepare_series(const double* x, int n, const DetectConfig& config,
                          const char* series_label);

}  // namespace turnpoint::kernels
