// Prefix sums of sufficient statistics, stored as compensated (double-double) sums.
//
// Why compensated: a segment statistic is P[b] - P[a]. For long series the prefixes are
// large (sum of t^2 reaches 3e14 at 10^5 days) while a short segment's sum is small, so a
// plain double difference loses most of its digits. Keeping the running rounding error
// (Neumaier/TwoSum) in a second array makes the difference accurate to about one ulp of
// the segment's own sum, whatever its position. Cost: two loads instead of one.
//
// Layout (structure of arrays, one series): stat s, position i in [0, n] at s*(n+1)+i,
// in `hi` and `lo`.
#pragma once
#include "kernels/dd.hpp"
#include "kernels/hd.hpp"

namespace turnpoint::kernels {

struct PrefixView {
  const double* hi = nullptr;
  const double* lo = nullptr;
  int n1 = 0;  // n + 1

  // Sum of statistic `s` over days [a, b).
  TP_HD double seg(int s, int a, int b) const {
    const double* h = hi + static_cast<long>(s) * n1;
    const double* l = lo + static_cast<long>(s) * n1;
    return (h[b] - h[a]) + (l[b] - l[a]);
  }

  // The same sum as a double-double, for callers that cancel it against other sums.
  TP_HD dd seg_dd(int s, int a, int b) const {
    const double* h = hi + static_cast<long>(s) * n1;
    const double* l = lo + static_cast<long>(s) * n1;
    return dd_add(two_sum(h[b], -h[a]), dd{l[b] - l[a], 0.0});
  }
};

// The same sums with the end b of every segment fixed (a DP step: all candidates t end at
// s): the NS statistics' prefix values at b are read once, into registers, instead of once
// per evaluation. seg() evaluates PrefixView::seg's very expression, so the results are the
// same to the bit. Used through kernels/cost_at_end.hpp.
template <int NS>
struct EndPrefix {
  PrefixView p;
  int b = 0;
  double hb[NS];
  double lb[NS];

  TP_HD EndPrefix(const PrefixView& view, int end) : p(view), b(end) {
    for (int s = 0; s < NS; ++s) {
      hb[s] = p.hi[static_cast<long>(s) * p.n1 + b];
      lb[s] = p.lo[static_cast<long>(s) * p.n1 + b];
    }
  }
  // Sum of statistic `s` over days [a, b); the end given must be the fixed one.
  TP_HD double seg(int s, int a, int /*end*/) const {
    const double* h = p.hi + static_cast<long>(s) * p.n1;
    const double* l = p.lo + static_cast<long>(s) * p.n1;
    return (hb[s] - h[a]) + (lb[s] - l[a]);
  }
};

// One compensated accumulation step (TwoSum); `hi`+`lo` is the running sum.
TP_HD void accumulate(double& hi, double& lo, double v) {
  const double s = hi + v;
  const double bb = s - hi;
  lo += (hi - (s - bb)) + (v - bb);
  hi = s;
}

}  // namespace turnpoint::kernels
