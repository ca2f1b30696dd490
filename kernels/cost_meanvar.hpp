// Gaussian change in mean and variance.
//   C(a, b) = -2 max_{mu, s2 >= floor} log L = c (log(2 pi) + log v) + RSS / v,
//   v = max(RSS / c, var_floor)
// which equals the textbook c (log(2 pi) + log(RSS/c) + 1) whenever RSS/c >= var_floor.
// The floor keeps segments with no spread (Carbon Monitor Aviation is constant within a
// month) finite; writing the floored cost as a constrained maximum likelihood keeps it
// sub-additive, so PELT's pruning with K = 0 stays exact.
#pragma once
#include <cmath>

#include "kernels/cost_mean.hpp"

namespace turnpoint::kernels {

using MeanVarStats = MeanStats;

template <class P = PrefixView>  // as MeanCostT
struct MeanVarCostT {
  P p;
  double var_floor = 1e-12;
  const double* inv_len = nullptr;  // 1/len table, only for series with no missing day
  static constexpr int n_params = 2;

  TP_HD double operator()(int a, int b) const {
    const SegmentCount n = segment_count(p, inv_len, a, b);
    const double c = n.c;
    if (c <= 0.0) return 0.0;
    const double s1 = p.seg(1, a, b);
    double rss = p.seg(2, a, b) - s1 * s1 * n.inv;
    if (rss < 0.0) rss = 0.0;
    double v = rss * n.inv;
    if (v < var_floor) v = var_floor;
    return c * (1.8378770664093453 + std::log(v)) + rss / v;  // log(2 pi)
  }
  TP_HD double prune_slack(int, int) const { return 0.0; }
};
using MeanVarCost = MeanVarCostT<>;

}  // namespace turnpoint::kernels
