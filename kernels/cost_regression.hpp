// Piecewise linear regression on a user-chosen basis (kernels/basis.hpp): within each
// segment y = X beta + noise, beta fitted by least squares, and
//   C(a, b) = RSS(a, b) / sigma^2 .
//
// From prefix sums of X'X, X'y and y'y the segment's normal equations cost O(p^2) to form
// and O(p^3) to solve, whatever the segment's length. Conditioning, which decides whether
// this is exact in double precision:
//  * the prefix sums are compensated (kernels/prefix.hpp), so each segment sum is accurate
//    to about one ulp of itself;
//  * the trend column is re-centred on the segment's middle and scaled by its length
//    (u = (i - centre) / L), done in double-double, so a short segment far from day 0
//    is no worse conditioned than one at the start;
//  * the normal matrix is equilibrated (unit diagonal) and factorised by Cholesky with
//    diagonal pivoting; columns whose remaining pivot is below kRankTol are dropped, i.e.
//    the fit is the projection onto the numerically spanned column space (a yearly
//    harmonic over a 10-day segment is almost a line: it adds nothing and is dropped).
// Statistics per day, p = columns: the p(p+1)/2 upper-triangle products phi_i phi_j, then
// phi_j y (p of them), then y^2. All zero on a missing day.
#pragma once
#include <cmath>

#include "kernels/basis.hpp"
#include "kernels/pivoted_cholesky.hpp"
#include "kernels/prefix.hpp"

namespace turnpoint::kernels {

TP_HD int pair_index(int p, int i, int j) {  // i <= j
  return i * p - (i * (i - 1)) / 2 + (j - i);
}

struct RegressionStats {
  BasisSpec basis;
  int n = 0;
  TP_HD int n_stats() const {
    const int p = basis.columns();
    return p * (p + 1) / 2 + p + 1;
  }
  TP_HD void day(int i, double y, double* out) const {
    const int p = basis.columns();
    const int ns = n_stats();
    if (!(y == y)) {
      for (int s = 0; s < ns; ++s) out[s] = 0.0;
      return;
    }
    double phi[kMaxBasis];
    basis.row(i, n, phi);
    int s = 0;
    for (int r = 0; r < p; ++r)
      for (int c = r; c < p; ++c) out[s++] = phi[r] * phi[c];
    for (int r = 0; r < p; ++r) out[s++] = phi[r] * y;
    out[s] = y * y;
  }
};

struct RegressionCost {
  PrefixView p;
  int cols = 1;
  int trend_col = -1;
  double inv_var = 1.0;
  static constexpr double kRankTol = 1e-10;

  TP_HD int n_params() const { return cols; }

  TP_HD double operator()(int a, int b) const {
    const int q = cols;
    const int npair = q * (q + 1) / 2;
    const double nvalid = p.seg(0, a, b);
    if (nvalid <= 0.0) return 0.0;
    double G[kMaxBasis * kMaxBasis];
    double r[kMaxBasis];
    for (int i = 0; i < q; ++i)
      for (int j = i; j < q; ++j) G[i * q + j] = G[j * q + i] = p.seg(pair_index(q, i, j), a, b);
    for (int i = 0; i < q; ++i) r[i] = p.seg(npair + i, a, b);
    const double yy = p.seg(npair + q, a, b);

    if (trend_col >= 0) recentre_trend(a, b, G, r);

    // Equilibrated pivoted Cholesky (kernels/pivoted_cholesky.hpp); RSS = yy - |L^-1 P' D r|^2.
    PivotedCholesky<kMaxBasis> chol;
    chol.factor(G, q, q, kRankTol);
    double z[kMaxBasis];
    const double explained = chol.forward(G, q, r, z);
    const double rss = yy - explained;
    return (rss > 0.0 ? rss : 0.0) * inv_var;
  }

  TP_HD double prune_slack(int, int) const { return 0.0; }

 private:
  // Replace the trend column t by u = (t - c) / L, c the segment's middle, in G and r.
  // Sums involving t are combined in double-double: sum(t^2) - 2c sum(t) + c^2 n cancels
  // by a factor (b / L)^2, which would cost 10 digits for a short segment at day 10^5.
  TP_HD void recentre_trend(int a, int b, double* G, double* r) const {
    const int q = cols, k = trend_col, npair = q * (q + 1) / 2;
    const double c = 0.5 * static_cast<double>(a + b - 1);
    const double s = 1.0 / static_cast<double>(b - a);
    // sum (t - c) phi_j = sum t phi_j - c sum phi_j  (phi_0 = 1, so sum phi_j = G[0][j])
    for (int j = 0; j < q; ++j) {
      if (j == k) continue;
      const int ij = k < j ? pair_index(q, k, j) : pair_index(q, j, k);
      const dd tj = p.seg_dd(ij, a, b);
      const dd oj = p.seg_dd(pair_index(q, 0, j), a, b);
      const double v = dd_value(dd_add(tj, dd_neg(dd_mul(oj, c)))) * s;
      G[k * q + j] = G[j * q + k] = v;
    }
    const dd st = p.seg_dd(pair_index(q, 0, k), a, b);   // sum t
    const dd stt = p.seg_dd(pair_index(q, k, k), a, b);  // sum t^2
    const dd n = p.seg_dd(0, a, b);
    const dd u = dd_add(st, dd_neg(dd_mul(n, c)));      // sum (t - c)
    const dd v = dd_add(stt, dd_neg(dd_mul(st, c)));    // sum t (t - c)
    G[k * q + k] = dd_value(dd_add(v, dd_neg(dd_mul(u, c)))) * s * s;
    const dd ty = p.seg_dd(npair + k, a, b);
    const dd oy = p.seg_dd(npair + 0, a, b);
    r[k] = dd_value(dd_add(ty, dd_neg(dd_mul(oy, c)))) * s;
  }
};

}  // namespace turnpoint::kernels
