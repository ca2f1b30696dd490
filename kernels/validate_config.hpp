// Checks a DetectConfig once, before any backend runs, with messages for the user.
#pragma once
#include <algorithm>

#include "kernels/error.hpp"
#include "kernels/basis.hpp"
#include "kernels/detect.hpp"

namespace turnpoint::kernels {

inline int basis_columns(const RegressionBasis& b) {
  return 1 + (b.trend ? 1 : 0) + 2 * b.weekly + 2 * b.yearly + static_cast<int>(b.dummy_names.size());
}

// The device-friendly basis description of a configuration; `days` and `dummies` point to
// wherever the backend keeps the day axis and the [n_dummies][n] 0/1 regressors.
inline BasisSpec basis_spec(const RegressionBasis& b, const std::int32_t* days,
                            const std::uint8_t* dummies) {
  BasisSpec s;
  s.trend = b.trend;
  s.weekly = b.weekly;
  s.yearly = b.yearly;
  s.n_dummies = static_cast<int>(b.dummy_names.size());
  s.days = days;
  s.dummies = dummies;
  return s;
}

// The minimum segment length actually used: a regression segment needs at least as many
// days as it has columns, a mean-and-variance segment at least two.
inline int effective_min_size(const DetectConfig& c) {
  int m = std::max(c.min_size, 1);
  if (c.cost == CostKind::meanvar) m = std::max(m, 2);
  if (c.cost == CostKind::regression) m = std::max(m, basis_columns(c.basis));
  return m;
}

inline void validate_config(const DetectConfig& c, int n_time) {
  TURNPOINT_EXPECTS(n_time >= 0, "negative series length {}", n_time);
  TURNPOINT_EXPECTS(c.min_size >= 1, "--min-size must be >= 1 (got {})", c.min_size);
  TURNPOINT_EXPECTS(c.max_changes >= 0, "--max-changes must be >= 0 (got {})", c.max_changes);
  TURNPOINT_EXPECTS(c.basis.weekly >= 0 && c.basis.weekly <= 3,
                    "weekly harmonics must be in 0..3 (got {})", c.basis.weekly);
  TURNPOINT_EXPECTS(c.basis.yearly >= 0, "yearly harmonics must be >= 0 (got {})", c.basis.yearly);
  TURNPOINT_EXPECTS(basis_columns(c.basis) <= kMaxBasis,
                    "the regression basis has {} columns; at most {} are supported",
                    basis_columns(c.basis), kMaxBasis);
  TURNPOINT_EXPECTS(c.basis.dummies.size() == c.basis.dummy_names.size() * static_cast<size_t>(n_time),
                    "regression dummies: {} values for {} regressors x {} days",
                    c.basis.dummies.size(), c.basis.dummy_names.size(), n_time);
  // FPOP needs the segment cost as a function of the segment's mean (kernels/fpop.hpp).
  TURNPOINT_EXPECTS(c.method != Method::fpop || c.cost == CostKind::mean,
                    "--method fpop supports --cost mean only (functional pruning needs the segment "
                    "cost as a quadratic in the mean); use --method pelt for --cost {}",
                    to_string(c.cost));
  const bool crops = c.crops_max >= 0.0 || c.crops_min >= 0.0;
  if (crops) {
    TURNPOINT_EXPECTS(c.crops_min >= 0.0 && c.crops_max > c.crops_min,
                      "CROPS needs 0 <= min < max (got [{}, {}])", c.crops_min, c.crops_max);
    TURNPOINT_EXPECTS(c.method == Method::pelt || c.method == Method::op,
                      "CROPS runs with --method pelt or op");
  }
}

}  // namespace turnpoint::kernels
