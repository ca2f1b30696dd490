#include "kernels/series_prep.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "kernels/error.hpp"

namespace turnpoint::kernels {

namespace {

// Noise below this fraction of the series' range (or, with --noise none, deviations outside
// [1e-140, 1e140]) would put 1/sigma^2 times a sum of squares of up to 4n beyond 1e300.
constexpr double kTiny = 1e-140;
constexpr int kMaxNoiseNoneExponent = 465;  // 2^465 ~ 1e140
constexpr double kLn2 = 0.6931471805599453;

// 2^e as a double (e within the normal range).
double pow2(int e) { return std::ldexp(1.0, e); }

}  // namespace

SeriesPrep prepare_series(const double* x, int n, const DetectConfig& config,
                          const char* series_label) {
  SeriesPrep out;
  out.begin = n;
  out.end = 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, max_abs = 0.0;
  for (int i = 0; i < n; ++i) {
    const double v = x[i];
    if (std::isnan(v)) continue;
    TURNPOINT_EXPECTS(std::isfinite(v), "series {}: day {} is {} (values must be finite or NaN)",
                      series_label, i, v);
    TURNPOINT_EXPECTS(config.cost != CostKind::poisson || v >= 0.0,
                      "series {}: day {} is {} but the Poisson cost needs values >= 0",
                      series_label, i, v);
    ++out.n_valid;
    out.begin = std::min(out.begin, i);
    out.end = i + 1;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    max_abs = std::max(max_abs, std::fabs(v));
  }
  if (out.n_valid == 0) {
    out.status = SeriesStatus::empty;
    out.begin = 0;
    out.end = n;
    return out;
  }
  if (lo == hi) {
    out.status = SeriesStatus::constant;
    return out;
  }

  // x * pre has its largest magnitude in [1, 2): sums and differences cannot overflow.
  const int e_pre = -std::ilogb(max_abs);
  const double pre = pow2(e_pre);
  double sum = 0.0;
  for (int i = out.begin; i < out.end; ++i)
    if (!std::isnan(x[i])) sum += x[i] * pre;

  std::vector<double> d;
  d.reserve(static_cast<size_t>(out.end - out.begin));
  double prev = std::nan("");
  for (int i = out.begin; i < out.end; ++i) {
    if (std::isnan(x[i])) continue;
    const double v = x[i] * pre;
    if (!std::isnan(prev)) d.push_back(std::fabs(v - prev));
    prev = v;
  }
  double sigma_pre = 0.0;  // in units of x * pre
  if (!d.empty()) {
    auto mid = d.begin() + static_cast<long>(d.size() / 2);
    std::nth_element(d.begin(), mid, d.end());
    sigma_pre = *mid / (0.6744897501960817 * std::sqrt(2.0));
    if (!(sigma_pre > 0.0)) {
      double ss = 0.0;
      for (double v : d) ss += v * v;
      sigma_pre = std::sqrt(ss / static_cast<double>(d.size()) / 2.0);
    }
  }
  if (!(sigma_pre > 0.0)) sigma_pre = (hi - lo) * pre;  // a single non-missing difference is 0: use range

  if (config.cost == CostKind::poisson) {
    // Counts as given: no centring, no scaling. 2 (S - S log(S/c)) stays finite for S < 1e300.
    TURNPOINT_EXPECTS(std::ilogb(sum) - e_pre < 996,
                      "series {}: its values sum to about 2^{} (> 1e300), beyond the range of the "
                      "Poisson cost", series_label, std::ilogb(sum) - e_pre);
    out.sigma = config.noise == NoiseScale::mad ? sigma_pre / pre : 1.0;
    out.inv_var = 1.0;
    out.var_floor = 1e-6 * (sigma_pre / pre) * (sigma_pre / pre);
    return out;
  }

  out.pre = pre;
  out.shift = sum / out.n_valid;
  double max_dev = 0.0;
  for (int i = out.begin; i < out.end; ++i)
    if (!std::isnan(x[i])) max_dev = std::max(max_dev, std::fabs(x[i] * pre - out.shift));
  // max_dev > 0: two distinct values, exactly scaled, cannot both equal their mean.
  const int e_post = -std::ilogb(max_dev);
  out.post = pow2(e_post);
  const int e_scale = e_pre + e_post;  // y = (x - mean) * 2^e_scale
  const double sigma_y = sigma_pre * out.post;

  const double sigma = sigma_pre / pre;  // data units
  TURNPOINT_EXPECTS(std::isfinite(sigma),
                    "series {}: its noise scale exceeds the double range (values near {:g})",
                    series_label, max_abs);
  const bool mad = config.noise == NoiseScale::mad;
  if (mad || config.cost == CostKind::meanvar)
    TURNPOINT_EXPECTS(sigma_y >= kTiny,
                      "series {}: its noise (sigma {:g}) is below 1e-140 of its range (largest "
                      "deviation from the mean {:g}): no cost can represent both in double precision",
                      series_label, sigma, max_dev / pre);
  if (config.cost == CostKind::meanvar) {
    out.inv_var = 1.0;  // not used: the cost estimates each segment's variance
  } else if (mad) {
    out.inv_var = 1.0 / (sigma_y * sigma_y);
  } else {
    // --noise none: the cost is the raw sum of squares, sigma = 1 data unit = 2^e_scale here.
    TURNPOINT_EXPECTS(std::abs(e_scale) <= kMaxNoiseNoneExponent,
                      "series {}: with --noise none its sum of squares (deviations from the mean "
                      "up to {:g}) {} the double range; use --noise mad (scale-free)",
                      series_label, max_dev / pre, e_scale < 0 ? "overflows" : "underflows");
    out.inv_var = pow2(-2 * e_scale);
  }
  out.sigma = mad ? sigma : 1.0;
  // Variance floor of the mean-and-variance cost: a millionth of the noise variance.
  out.var_floor = 1e-6 * sigma_y * sigma_y;
  if (config.cost == CostKind::meanvar)
    out.cost_offset = static_cast<double>(out.n_valid) * 2.0 * kLn2 * static_cast<double>(e_scale);
  return out;
}

void check_prefix_finite(const double* hi, const double* lo, int ns, int n, const char* series_label,
                         int first_day) {
  const long n1 = static_cast<long>(n) + 1;
  for (int s = 0; s < ns; ++s) {
    const double* h = hi + s * n1;
    const double* l = lo + s * n1;
    if (std::isfinite(h[n]) && std::isfinite(l[n])) continue;  // running sums: the end decides
    long i = 1;
    while (i <= n && std::isfinite(h[i]) && std::isfinite(l[i])) ++i;
    TURNPOINT_FAIL("series {}: day {}: a sum inside the cost is not finite ({}): the values are "
                   "outside the range the cost can represent", series_label, first_day + i - 1, h[i]);
  }
}

void finish_series(const SeriesPrep& prep, const char* series_label, SeriesDetection& r) {
  if (prep.begin != 0) {
    auto shift = [&](std::vector<int>& v) {
      for (int& c : v) c += prep.begin;
    };
    shift(r.changes);
    for (auto& p : r.path) shift(p);
    for (auto& c : r.crops) shift(c.changes);
  }
  if (prep.cost_offset != 0.0) {
    r.cost = prep.unscale_cost(r.cost);
    for (double& c : r.path_cost)
      if (std::isfinite(c)) c = prep.unscale_cost(c);  // +inf: no segmentation with K changes
    for (auto& c : r.crops) c.cost = prep.unscale_cost(c.cost);
  }
  for (size_t j = 0; j < r.gains.size(); ++j)
    TURNPOINT_EXPECTS(std::isfinite(r.gains[j]),
                      "series {}: day {}: the gain of this turning point is {} (a cost overflowed)",
                      series_label, r.changes[j], r.gains[j]);
  TURNPOINT_EXPECTS(std::isfinite(r.cost),
                    "series {}: day {}: the cost of its segmentation is {} (a cost overflowed)",
                    series_label, r.changes.empty() ? prep.begin : r.changes.front(), r.cost);
}

std::vector<SpanGroup> span_groups(const double* values, std::int64_t n_series, int n_time) {
  std::map<std::pair<int, int>, std::vector<std::int64_t>> by_span;
  for (std::int64_t i = 0; i < n_series; ++i) {
    const double* x = values + i * n_time;
    int b = 0, e = n_time;
    while (b < e && std::isnan(x[b])) ++b;
    while (e > b && std::isnan(x[e - 1])) --e;
    if (b == e) b = 0, e = n_time;  // empty: any span will do
    by_span[{b, e}].push_back(i);
  }
  std::vector<SpanGroup> out;
  for (auto& [span, series] : by_span) out.push_back({span.first, span.second, std::move(series)});
  return out;
}

}  // namespace turnpoint::kernels
