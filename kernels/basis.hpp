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
  // [n][columns()] rows computed beforehand by row() on the host (basis_table): the GPU reads
  // these instead of calling its own sin/cos, which may differ from glibc's in the last bit.
  const double* rows = nullptr;

  TP_HD int columns() const { return 1 + (trend ? 1 : 0) + 2 * weekly + 2 * yearly + n_dummies; }
  TP_HD int trend_column() const { return trend ? 1 : -1; }

  // Fills phi[0..columns()) for day index i of a series of length n.
  TP_HD void row(int i, int n, double* phi) const {
    if (rows) {
      const int p = columns();
      for (int c = 0; c < p; ++c) phi[c] = rows[static_cast<long>(i) * p + c];
      return;
    }
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

// The rows of days 0..n-1, [n][columns()], as row() computes them on this machine (for the
// GPU: computed here with the host's libm, uploaded, read through BasisSpec::rows).
inline void basis_table(BasisSpec spec, int n, double* out) {
  spec.rows = nullptr;
  const long p = spec.columns();
  for (int i = 0; i < n; ++i) spec.row(i, n, out + i * p);
}

}  // namespace turnpoint::kernels
