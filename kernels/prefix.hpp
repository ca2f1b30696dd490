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

// One compensated accumulation step (TwoSum); `hi`+`lo` is the running sum.
TP_HD void accumulate(double& hi, double& lo, double v) {
  const double s = hi + v;
  const double bb = s - hi;
  lo += (hi - (s - bb)) + (v - bb);
  hi = s;
}

}  // namespace turnpoint::kernels
