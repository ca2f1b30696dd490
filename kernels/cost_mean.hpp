// Gaussian change in mean (the L2 cost of ruptures' CostL2), known noise variance.
//   C(a, b) = sum_{i in [a,b), x_i not NaN} (x_i - mean)^2 / sigma^2
// which is -2 log-likelihood up to a constant, so R-changepoint penalties apply as they
// are. With inv_var = 1 it is exactly ruptures' CostL2 (sum of squared deviations).
// Statistics per day: {1, x, x^2}, zero on a missing (NaN) day.
#pragma once
#include "kernels/prefix.hpp"

namespace turnpoint::kernels {

struct MeanStats {
  static constexpr int n_stats = 3;
  TP_HD static void day(double x, double* out) {
    const bool ok = x == x;  // false for NaN
    out[0] = ok ? 1.0 : 0.0;
    out[1] = ok ? x : 0.0;
    out[2] = ok ? x * x : 0.0;
  }
};

// Number of non-missing days of [a, b) and its reciprocal. For a series with no missing
// day the caller passes a table of 1/len (inv_len): the count is b - a and the division,
// the slowest instruction of the hot loop, becomes a load.
struct SegmentCount {
  double c;
  double inv;
};
template <class P>
TP_HD SegmentCount segment_count(const P& p, const double* inv_len, int a, int b) {
  if (inv_len) return {static_cast<double>(b - a), inv_len[b - a]};
  const double c = p.seg(0, a, b);
  return {c, c > 0.0 ? 1.0 / c : 0.0};
}

// A segment cost as a function of the segment's parameter: cost at parameter mu =
// cost(a, b) + curvature * (mu - at)^2 (kernels/fpop.hpp).
struct SegmentQuadratic {
  double at;
  double curvature;
};

// P: PrefixView, or EndPrefix<3> when every segment ends at one step (kernels/cost_at_end.hpp).
template <class P = PrefixView>
struct MeanCostT {
  P p;
  double inv_var = 1.0;
  const double* inv_len = nullptr;  // 1/len table, only for series with no missing day
  static constexpr int n_params = 1;  // parameters that change at a turning point

  TP_HD double operator()(int a, int b) const {
    const SegmentCount n = segment_count(p, inv_len, a, b);
    if (n.c <= 0.0) return 0.0;
    const double s1 = p.seg(1, a, b);
    const double rss = p.seg(2, a, b) - s1 * s1 * n.inv;
    return (rss > 0.0 ? rss : 0.0) * inv_var;
  }
  // The cost at mean mu: sum (x_i - mu)^2 / sigma^2 = cost(a, b) + c (mu - mean)^2 / sigma^2
  // over the c non-missing days. Flat (curvature 0) when the segment has none.
  TP_HD SegmentQuadratic quadratic(int a, int b) const {
    const SegmentCount n = segment_count(p, inv_len, a, b);
    if (n.c <= 0.0) return {0.0, 0.0};
    return {p.seg(1, a, b) * n.inv, n.c * inv_var};
  }
  // PELT pruning constant K of Killick et al. (2012) for candidate t at step s:
  // C(t,s) + C(s,s') + K <= C(t,s') for every later s'. 0 for a sub-additive cost.
  TP_HD double prune_slack(int, int) const { return 0.0; }
  // The most q_t - q_s can grow after candidate s is created (kernels/fpop.hpp): 0, the
  // difference of two candidates' costs at one mean does not change as days are added.
  TP_HD double lead_bound(int, int, int) const { return 0.0; }
};
using MeanCost = MeanCostT<>;

}  // namespace turnpoint::kernels
