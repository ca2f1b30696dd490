// MBIC segment term (Zhang & Siegmund 2007, as in R's changepoint): with penalty MBIC
// every segment's cost gets + log(length).
//
// The term is not sub-additive, so PELT needs a pruning constant K < 0. For candidate t
// at step s and any later s' (s' <= n):
//   log(s-t) + log(s'-s) - log(s'-t) = log((s-t)(s'-s)/(s'-t)) <= log((s-t)(n-s)/(n-t)),
// the bound growing with s'. So K(t, s) = -log((s-t)(n-s)/(n-t)) keeps PELT exact; it is
// much tighter than a constant -log(n/4) for recent candidates and near the series' end.
// `log_len`, when given, is a table of log(0..n) so the hot loop does no log() calls.
#pragma once
#include <cmath>
#include <utility>

#include "kernels/hd.hpp"

namespace turnpoint::kernels {

template <class Cost>
struct MbicCost {
  Cost base;
  int n = 1;                        // series length
  const double* log_len = nullptr;  // log(0..n) or nullptr

  TP_HD double log_of(int len) const {
    return log_len ? log_len[len] : std::log(static_cast<double>(len));
  }
  TP_HD double operator()(int a, int b) const { return base(a, b) + log_of(b - a); }
  // The log(length) term does not depend on the segment's parameter (kernels/fpop.hpp).
  template <class B = Cost>
  TP_HD auto quadratic(int a, int b) const -> decltype(std::declval<const B&>().quadratic(a, b)) {
    return base.quadratic(a, b);
  }
  // The other side (kernels/fpop.hpp): how much candidate t's segment term can gain on candidate
  // s's after step s, over the steps where s is admissible (s' >= s + m):
  //   max over s' of log(s'-t) - log(s'-s) - log(s-t) = log(s+m-t) - log(m) - log(s-t),
  // the expression falling with s'. Only where t leads s by more than this is s beaten for good.
  template <class B = Cost>
  TP_HD auto lead_bound(int t, int s, int m) const
      -> decltype(std::declval<const B&>().lead_bound(t, s, m)) {
    const double own = base.lead_bound(t, s, m);
    if (s + m > n) return own;  // s is never admissible: never used
    return own + log_of(s + m - t) - log_of(m) - log_of(s - t);
  }
  TP_HD double prune_slack(int t, int s) const {
    if (s >= n) return base.prune_slack(t, s);  // no later step: never used
    return base.prune_slack(t, s) - (log_of(s - t) + log_of(n - s) - log_of(n - t));
  }
};

}  // namespace turnpoint::kernels
