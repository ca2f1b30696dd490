#include "kernels/series_prep.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/error.hpp"

namespace turnpoint::kernels {

SeriesPrep prepare_series(const double* x, int n, const DetectConfig& config,
                          const char* series_label) {
  SeriesPrep out;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, sum = 0.0;
  for (int i = 0; i < n; ++i) {
    const double v = x[i];
    if (std::isnan(v)) continue;
    TURNPOINT_EXPECTS(std::isfinite(v), "series {}: day {} is {} (values must be finite or NaN)",
                      series_label, i, v);
    TURNPOINT_EXPECTS(config.cost != CostKind::poisson || v >= 0.0,
                      "series {}: day {} is {} but the Poisson cost needs values >= 0",
                      series_label, i, v);
    ++out.n_valid;
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (out.n_valid == 0) {
    out.status = SeriesStatus::empty;
    return out;
  }
  if (lo == hi) {
    out.status = SeriesStatus::constant;
    return out;
  }
  out.shift = config.cost == CostKind::poisson ? 0.0 : sum / out.n_valid;

  std::vector<double> d;
  d.reserve(static_cast<size_t>(n));
  double prev = std::nan("");
  for (int i = 0; i < n; ++i) {
    if (std::isnan(x[i])) continue;
    if (!std::isnan(prev)) d.push_back(std::fabs(x[i] - prev));
    prev = x[i];
  }
  double sigma = 0.0;
  if (!d.empty()) {
    auto mid = d.begin() + static_cast<long>(d.size() / 2);
    std::nth_element(d.begin(), mid, d.end());
    sigma = *mid / (0.6744897501960817 * std::sqrt(2.0));
    if (!(sigma > 0.0)) {
      double ss = 0.0;
      for (double v : d) ss += v * v;
      sigma = std::sqrt(ss / static_cast<double>(d.size()) / 2.0);
    }
  }
  if (!(sigma > 0.0)) sigma = (hi - lo);  // a single non-missing difference is 0: use range
  out.sigma = config.noise == NoiseScale::mad ? sigma : 1.0;
  // Variance floor of the mean-and-variance cost: a millionth of the noise variance.
  out.var_floor = 1e-6 * sigma * sigma;
  return out;
}

}  // namespace turnpoint::kernels
