// The regression basis of one day: intercept (always column 0), optional linear trend,
// k weekly and k yearly harmonic pairs, and 0/1 regressors given per day (holidays).
// Evaluated on the fly from the day number, so the GPU needs only the day axis.
#pragma once
#include <cmath>
#include <cstdint>

#include "kernels/hd.hpp"

namespace turnpoint::kernels {

// Largest number of basis columns: bounds the per-thread (per-GPU-thread) scratch space.
constexpr int kMaxBasis = 24;

struct BasisSpec {
  bool trend = false;      // column 1: the day's index in the series (re-centred per segment)
  int weekly = 0;          // weekly harmonic pairs: sin/cos(2 pi k d / 7)
  int yearly = 0;          // yearly harmonic pairs: sin/cos(2 pi k d / 365.2425)
  int n_dummies = 0;       // 0/1 regressors
  const std::int32_t* days = nullptr;          // [n] days since 1970-01-01
  const std::uint8_t* dummies = nullptr;       // [n_dummies][n], row-major

  TP_HD int columns() const { return 1 + (trend ? 1 : 0) + 2 * weekly + 2 * yearly + n_dummies; }
  TP_HD int trend_column() const { return trend ? 1 : -1; }

  // Fills phi[0..columns()) for day index i of a series of length n.
  TP_HD void row(int i, int n, double* phi) const {
    constexpr double two_pi = 6.283185307179586;
    int c = 0;
    phi[c++] = 1.0;
    if (trend) phi[c++] = static_cast<double>(i);
    const double d = static_cast<double>(days[i]);
    if (weekly > 0) {
      const double w = std::fmod(std::fmod(d, 7.0) + 7.0, 7.0) / 7.0;
      for (int k = 1; k <= weekly; ++k) {
        phi[c++] = std::sin(two_pi * k * w);
        phi[c++] = std::cos(two_pi * k * w);
      }
    }
    if (yearly > 0) {
      const double y = std::fmod(std::fmod(d, 365.2425) + 365.2425, 365.2425) / 365.2425;
      for (int k = 1; k <= yearly; ++k) {
        phi[c++] = std::sin(two_pi * k * y);
        phi[c++] = std::cos(two_pi * k * y);
      }
    }
    for (int j = 0; j < n_dummies; ++j)
      phi[c++] = dummies[static_cast<long>(j) * n + i] ? 1.0 : 0.0;
  }
};

}  // namespace turnpoint::kernels
