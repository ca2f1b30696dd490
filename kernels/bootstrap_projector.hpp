// Factor once, resample many: the bootstrap's least-squares fits all have a Gram part X'X
// that does not depend on the series values (only on the basis and the missing days, both
// the same in every replicate). So for every fit a replicate can ask for -- the window
// [a, b) of a change, its two halves at each candidate day t, and the level model at t --
// the pivoted Cholesky factor is computed once per series, stored as the linear map
//   M = L^-1 P' D   (rank x q),   explained(r) = || M r ||^2,   RSS = y'y - explained,
// and a replicate only forms the right-hand sides r (prefix-sum look-ups) and multiplies:
// O(q^2) per fit instead of O(q^3). The numbers equal kernels/classify.hpp's segment_rss /
// level_change_rss up to rounding (same equilibration, pivot order and rank decisions, which
// depend on G only); tests/kernels/bootstrap_test.cpp compares the two.
#pragma once
#include <cmath>

#include "kernels/classify.hpp"

namespace turnpoint::kernels {

// Builds M (rank x q, row stride q) from the normal-equation matrix G (q x q, stride ld,
// destroyed), with the tolerance and pivoting of solve_normal. Returns the rank.
TP_HD int make_projector(double* G, int ld, int q, double* M) {
  constexpr double kTol = 1e-10;  // solve_normal's
  PivotedCholesky<kMaxSplitCols> chol;
  chol.factor(G, ld, q, kTol);
  // Column c of M: the forward substitution applied to r = e_c.
  for (int c = 0; c < q; ++c) {
    double r[kMaxSplitCols], z[kMaxSplitCols];
    for (int i = 0; i < q; ++i) r[i] = 0.0;
    r[c] = 1.0;
    chol.forward(G, ld, r, z);
    for (int k = 0; k < chol.rank; ++k) M[k * q + c] = z[k];
  }
  return chol.rank;
}

// ||M r||^2 for M rank x q.
TP_HD double projected_norm2(const double* M, int rank, int q, const double* r) {
  double s = 0.0;
  for (int k = 0; k < rank; ++k) {
    const double* row = M + k * q;
    double z = 0.0;
    for (int c = 0; c < q; ++c) z += row[c] * r[c];
    s += z * z;
  }
  return s;
}

// Right-hand side of the fit of [a, b) (trend centred at the segment's middle, as in
// segment_moments) and y'y over it.
TP_HD void segment_rhs(const MomentView& m, int a, int b, double* r, double& yy) {
  const double c = 0.5 * static_cast<double>(a + b - 1);
  for (int j = 0; j < m.p; ++j) r[j] = m.xy.seg(j, a, b);
  if (m.trend_col >= 0) r[m.trend_col] -= c * r[0];
  yy = m.xy.seg(m.p, a, b);
}

// Right-hand side of the level model over [a, b) with a step at t (level_change_rss's
// column order: the basis centred on [a, b), then the step and the trend step).
TP_HD void level_rhs(const MomentView& m, int a, int t, int b, double* r, double& yy) {
  segment_rhs(m, a, b, r, yy);
  const double c = 0.5 * static_cast<double>(a + b - 1);
  const int p = m.p, k = m.trend_col;
  r[p] = m.xy.seg(0, t, b);
  if (k >= 0) r[p + 1] = m.xy.seg(k, t, b) - c * r[p];
}

// Gram matrices of the same fits (y-independent): the fit of [a, b) and the level model.
TP_HD void segment_gram(const MomentView& m, int a, int b, double* G, int ld, double& nvalid) {
  double r[kMaxBasis], yy;
  segment_moments(m, a, b, 0.5 * static_cast<double>(a + b - 1), G, ld, r, yy, nvalid);
}

TP_HD int level_gram(const MomentView& m, int a, int t, int b, double* G, int ld,
                     double& nvalid) {
  double r[kMaxSplitCols], yy;
  return stepped_moments(m, a, t, b, 0, 0, G, ld, r, yy, nvalid);
}

}  // namespace turnpoint::kernels
