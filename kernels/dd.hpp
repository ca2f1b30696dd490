// Minimal double-double arithmetic (about 32 significant digits) for the few places where
// a plain double loses digits to cancellation: differences of compensated prefix sums and
// the re-centring of the trend column of the regression cost.
#pragma once
#include <cmath>

#include "kernels/hd.hpp"

namespace turnpoint::kernels {

struct dd {
  double hi;
  double lo;
};

TP_HD dd two_sum(double a, double b) {
  const double s = a + b;
  const double bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}

TP_HD dd dd_add(dd a, dd b) {
  dd s = two_sum(a.hi, b.hi);
  s.lo += a.lo + b.lo;
  return two_sum(s.hi, s.lo);
}

TP_HD dd dd_neg(dd a) { return {-a.hi, -a.lo}; }

// a * c for a double c, with the rounding error of the leading product kept (FMA).
TP_HD dd dd_mul(dd a, double c) {
  const double p = a.hi * c;
  const double e = std::fma(a.hi, c, -p);
  return two_sum(p, e + a.lo * c);
}

TP_HD double dd_value(dd a) { return a.hi + a.lo; }

}  // namespace turnpoint::kernels
