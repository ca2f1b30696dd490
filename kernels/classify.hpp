// Which coefficient group moved across a turning point: the level/trend part (an `event`)
// or the recurring pattern, i.e. the weekly/yearly harmonics and holiday effects (a
// `seasonal` change). docs/seasonality.md gives the statistics; in short, for a change t
// between its neighbours a < t < b, three nested least-squares fits of the basis X:
//   none : one coefficient vector on [a, b)                       RSS_0, rank r_0
//   level: shared seasonal coefficients, intercept and trend
//          allowed to differ from t on                            RSS_L, rank r_L
//   full : every coefficient differs (two separate fits)          RSS_F, rank r_F
// With the noise variance sigma^2 known (detection scales the series by it),
//   D_L = (RSS_0 - RSS_L) / sigma^2 ~ chi2(r_L - r_0),  D_S = (RSS_L - RSS_F) / sigma^2 ~ chi2(r_F - r_L)
// under "that group did not change". With s2 = RSS_F / (n - r_F) / sigma^2 (the full fit's
// residual variance on [a, b)), MS_S = D_S / df_S / s2 and MS_L = D_L / df_L / s2 are F
// statistics. The change is `seasonal` when MS_S is significant at level alpha AND larger
// than MS_L (the pattern moved more per parameter than level and trend); else `event`.
//
// Everything here is per unit of work and host/device (TP_HD): fixed-size local arrays,
// no allocation, no exceptions, so the CUDA twin calls the same functions.
//
// Moments come from compensated prefix sums (kernels/prefix.hpp) of the design matrix:
// `xx` holds the p(p+1)/2 products phi_i phi_j (pair_index order), `xy` the p products
// phi_j y and then y^2 (all zero on a missing day). The trend column holds the raw day
// index; it is re-centred on the segment in plain double (relative error ~ 1e-16 (n/L)^2,
// 1e-11 for a 20-day segment of a 1461-day series: enough for tests and resampling).
#pragma once
#include <cmath>

#include "kernels/basis.hpp"
#include "kernels/pivoted_cholesky.hpp"
#include "kernels/cost_regression.hpp"  // pair_index
#include "kernels/prefix.hpp"

// The local arrays below are sized for the largest basis and filled up to the actual
// size; GCC cannot see that and warns "may be used uninitialized".
#if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace turnpoint::kernels {

// Column groups of the seasonal part tested one by one (weekly harmonics, yearly harmonics,
// holiday regressors): a change of the yearly cycle moves 2-4 of ~19 seasonal coefficients,
// and a test of the whole group per parameter dilutes it (docs/seasonality.md, §2).
constexpr int kMaxGroups = 3;
constexpr int kMaxGroupCols = 12;  // a larger group is only tested as part of the whole

struct ColumnGroups {
  int n = 0;
  int lo[kMaxGroups] = {0, 0, 0};  // columns [lo, hi) of the basis
  int hi[kMaxGroups] = {0, 0, 0};
};

// Largest system solved here: the basis plus a level and a trend column after the change,
// plus one group's columns after the change.
constexpr int kMaxSplitCols = kMaxBasis + 2 + kMaxGroupCols;

enum : int { kKindEvent = 0, kKindSeasonal = 1 };

struct MomentView {
  PrefixView xx;  // p(p+1)/2 statistics
  PrefixView xy;  // p + 1 statistics: phi_j y, then y^2
  int p = 1;
  int trend_col = -1;
  ColumnGroups groups{};  // none: only the whole seasonal group is tested
};

// Normal equations of the basis over days [a, b), trend column centred at c:
// G (p x p, stride `ld`), r (p), yy, and the number of non-missing days.
TP_HD void segment_moments(const MomentView& m, int a, int b, double c, double* G, int ld,
                           double* r, double& yy, double& nvalid) {
  const int p = m.p, k = m.trend_col;
  for (int i = 0; i < p; ++i)
    for (int j = i; j < p; ++j) G[i * ld + j] = m.xx.seg(pair_index(p, i, j), a, b);
  for (int j = 0; j < p; ++j) r[j] = m.xy.seg(j, a, b);
  yy = m.xy.seg(p, a, b);
  nvalid = G[0];
  if (k >= 0) {
    // (t - c) phi_j for j != k; (t - c)^2 for j == k. Uses the un-centred sums first.
    const double st = G[0 * ld + k];  // sum t
    const double stt = G[k * ld + k];
    for (int j = 0; j < p; ++j) {
      if (j == k) continue;
      const double s0j = j < 1 ? G[0] : G[0 * ld + j];  // sum phi_j
      double& v = j < k ? G[j * ld + k] : G[k * ld + j];
      v -= c * s0j;
    }
    G[k * ld + k] = stt - 2.0 * c * st + c * c * nvalid;
    r[k] -= c * r[0];
  }
  for (int i = 0; i < p; ++i)
    for (int j = 0; j < i; ++j) G[i * ld + j] = G[j * ld + i];
}

// Least squares from normal equations: equilibrate, pivoted Cholesky, drop columns whose
// remaining pivot is below tol (the projection onto the numerically spanned space).
// Destroys G and r. Returns RSS >= 0; rank in `rank`; coefficients in beta (when not null,
// zero for dropped columns).
TP_HD double solve_normal(double* G, int ld, double* r, double yy, int q, int& rank,
                          double* beta = nullptr) {
  constexpr double kTol = 1e-10;
  PivotedCholesky<kMaxSplitCols> chol;
  chol.factor(G, ld, q, kTol);
  rank = chol.rank;
  double z[kMaxSplitCols];
  const double explained = chol.forward(G, ld, r, z);
  if (beta) chol.coefficients(G, ld, q, z, beta);
  const double rss = yy - explained;
  return rss > 0.0 ? rss : 0.0;
}

// RSS (unscaled) and rank of one fit over [a, b). Coefficients (trend centred at the
// segment's middle) in beta when not null.
TP_HD double segment_rss(const MomentView& m, int a, int b, int& rank, double* beta = nullptr) {
  double G[kMaxBasis * kMaxBasis], r[kMaxBasis], yy, nv;
  const double c = 0.5 * static_cast<double>(a + b - 1);
  segment_moments(m, a, b, c, G, kMaxBasis, r, yy, nv);
  if (!(nv > 0.0)) { rank = 0; if (beta) for (int i = 0; i < m.p; ++i) beta[i] = 0.0; return 0.0; }
  return solve_normal(G, kMaxBasis, r, yy, m.p, rank, beta);
}

// Normal equations of the basis over [a, b) (shared) plus, from t on, a step, a trend step
// and steps of the basis columns [lo, hi) (lo == hi: none); returns their number of columns.
// With no group this is the `level` model.
TP_HD int stepped_moments(const MomentView& m, int a, int t, int b, int lo, int hi, double* G,
                          int ld, double* r, double& yy, double& nvalid) {
  const int p = m.p, k = m.trend_col;
  int cols[2 + kMaxGroupCols], ns = 0;  // the basis columns that step at t
  cols[ns++] = 0;
  if (k >= 0) cols[ns++] = k;
  for (int j = lo; j < hi && ns < 2 + kMaxGroupCols; ++j) cols[ns++] = j;
  double G2[kMaxBasis * kMaxBasis], r2[kMaxBasis], yy2, nv2;
  const double c = 0.5 * static_cast<double>(a + b - 1);
  segment_moments(m, a, b, c, G, ld, r, yy, nvalid);
  segment_moments(m, t, b, c, G2, kMaxBasis, r2, yy2, nv2);  // [t, b) centred at [a, b)'s c
  for (int e = 0; e < ns; ++e) {
    const int ce = cols[e];
    for (int j = 0; j < p; ++j) G[(p + e) * ld + j] = G[j * ld + p + e] = G2[ce * kMaxBasis + j];
    for (int f = 0; f < ns; ++f) G[(p + e) * ld + p + f] = G2[ce * kMaxBasis + cols[f]];
    r[p + e] = r2[ce];
  }
  return p + ns;
}

// RSS and rank of the fit of stepped_moments.
TP_HD double stepped_rss(const MomentView& m, int a, int t, int b, int lo, int hi, int& rank) {
  constexpr int ld = kMaxSplitCols;
  double G[kMaxSplitCols * kMaxSplitCols], r[kMaxSplitCols], yy, nv;
  const int q = stepped_moments(m, a, t, b, lo, hi, G, ld, r, yy, nv);
  if (!(nv > 0.0)) { rank = 0; return 0.0; }
  return solve_normal(G, ld, r, yy, q, rank);
}

// The `level` model over [a, b): the basis (shared) plus a step and a trend step from t on.
TP_HD double level_change_rss(const MomentView& m, int a, int t, int b, int& rank) {
  return stepped_rss(m, a, t, b, 0, 0, rank);
}

// Upper tail P(chi2_k > x), Wilson-Hilferty cube-root normal approximation (absolute
// error < 0.005 for k >= 1 at the tail levels used here); k <= 0 gives 1.
TP_HD double chi2_upper(double x, int k) {
  if (k <= 0) return 1.0;
  if (!(x > 0.0)) return 1.0;
  const double kk = static_cast<double>(k);
  const double v = 2.0 / (9.0 * kk);
  const double z = (std::cbrt(x / kk) - (1.0 - v)) / std::sqrt(v);
  return 0.5 * std::erfc(z / 1.4142135623730951);
}

struct SplitTest {
  double rss_none = 0, rss_level = 0, rss_full = 0;  // divided by sigma^2 (inv_var)
  int df_level = 0, df_seasonal = 0;
  double ms_level = 0, ms_seasonal = 0;  // mean squares per parameter / residual variance
  double p_seasonal = 1.0;
  int group = -1;  // the column group whose own test decided `seasonal` (-1: the whole group)
  int kind = kKindEvent;
};

// RSS (divided by sigma^2) and rank of the level model plus one group's steps, per group.
struct GroupFits {
  int n = 0;
  double rss[kMaxGroups] = {0, 0, 0};
  int rank[kMaxGroups] = {0, 0, 0};
  int id[kMaxGroups] = {0, 0, 0};  // index into MomentView::groups
};

// The split test from the three fits' RSS (already divided by sigma^2) and ranks:
// r0 of [a, b), rl of the level model, r1 + r2 of the two halves; n_ab non-missing days.
TP_HD SplitTest classify_from_fits(double rss_none, double rss_level, double rss_full, int r0,
                                   int rl, int r12, double n_ab, double alpha,
                                   const GroupFits* groups = nullptr) {
  SplitTest s;
  s.rss_none = rss_none;
  s.rss_level = rss_level;
  s.rss_full = rss_full;
  // Nested fits: clamp rounding so that RSS_0 >= RSS_L >= RSS_F.
  if (s.rss_level > s.rss_none) s.rss_level = s.rss_none;
  if (s.rss_full > s.rss_level) s.rss_full = s.rss_level;
  s.df_level = rl - r0 > 0 ? rl - r0 : 0;
  s.df_seasonal = r12 - rl > 0 ? r12 - rl : 0;
  const double d_level = s.rss_none - s.rss_level;
  const double d_seasonal = s.rss_level - s.rss_full;
  // Residual variance of the full fit, in units of the detection's sigma^2: an F test that
  // stays fair when sigma (a series-wide robust estimate) is off on this window, e.g.
  // under autocorrelated residuals.
  const double dof = n_ab - r12;
  const double s2 = dof >= 10.0 && s.rss_full > 0.0 ? s.rss_full / dof : 1.0;
  s.ms_level = s.df_level > 0 ? d_level / s.df_level / s2 : 0.0;
  s.ms_seasonal = s.df_seasonal > 0 ? d_seasonal / s.df_seasonal / s2 : 0.0;
  // F(df_S, dof) tail approximated by chi2(df_S) of df_S * F (dof >= 10 here).
  s.p_seasonal = chi2_upper(s.ms_seasonal * s.df_seasonal, s.df_seasonal);
  const bool significant = s.df_seasonal > 0 && s.p_seasonal < alpha;
  // Dominant: the seasonal group moved more per parameter than level and trend did.
  const bool dominant = s.ms_seasonal > s.ms_level;
  s.kind = significant && dominant ? kKindSeasonal : kKindEvent;
  // One group on its own (weekly, yearly, holidays): the level model plus that group's
  // steps against the level model, the same F test and the same dominance rule.
  if (s.kind == kKindEvent && groups)
    for (int g = 0; g < groups->n; ++g) {
      const int df = groups->rank[g] - rl;
      if (df <= 0) continue;
      const double d = s.rss_level - groups->rss[g];
      const double ms = (d > 0.0 ? d : 0.0) / df / s2;
      if (chi2_upper(ms * df, df) < alpha && ms > s.ms_level) {
        s.kind = kKindSeasonal;
        s.group = groups->id[g];
        break;
      }
    }
  return s;
}

// The group fits of classify_from_fits for a change t in [a, b).
TP_HD GroupFits group_fits(const MomentView& m, int a, int t, int b, double inv_var) {
  GroupFits gf;
  for (int g = 0; g < m.groups.n; ++g) {
    if (m.groups.hi[g] - m.groups.lo[g] > kMaxGroupCols) continue;
    int rank = 0;
    gf.rss[gf.n] = stepped_rss(m, a, t, b, m.groups.lo[g], m.groups.hi[g], rank) * inv_var;
    gf.rank[gf.n] = rank;
    gf.id[gf.n] = g;
    ++gf.n;
  }
  return gf;
}

// classify_from_fits with the group tests; their fits are solved only when the whole-group
// test says `event` (the only case in which they can change the answer).
TP_HD SplitTest classify_with_groups(const MomentView& m, int a, int t, int b, double inv_var,
                                     double none, double level, double full, int r0, int rl,
                                     int r12, double n_ab, double alpha) {
  SplitTest s = classify_from_fits(none, level, full, r0, rl, r12, n_ab, alpha);
  if (s.kind == kKindSeasonal || m.groups.n == 0) return s;
  const GroupFits gf = group_fits(m, a, t, b, inv_var);
  return classify_from_fits(none, level, full, r0, rl, r12, n_ab, alpha, &gf);
}

TP_HD SplitTest classify_split(const MomentView& m, int a, int t, int b, double inv_var,
                               double alpha) {
  int r0 = 0, rl = 0, r1 = 0, r2 = 0;
  const double none = segment_rss(m, a, b, r0) * inv_var;
  const double level = level_change_rss(m, a, t, b, rl) * inv_var;
  const double full = (segment_rss(m, a, t, r1) + segment_rss(m, t, b, r2)) * inv_var;
  return classify_with_groups(m, a, t, b, inv_var, none, level, full, r0, rl, r1 + r2,
                              m.xx.seg(0, a, b), alpha);
}

// Fitted values of the segmentation (changes ascending, k of them) on every day, and the
// residuals of the non-missing days in time order (resid[0..n_valid)).
TP_HD void fit_segmentation(const MomentView& m, const double* X, const double* y, int n,
                            const int* changes, int k, double* fitted, double* resid) {
  double beta[kMaxBasis];
  int a = 0, kv = 0;
  for (int j = 0; j <= k; ++j) {
    const int b = j < k ? changes[j] : n;
    int r;
    segment_rss(m, a, b, r, beta);
    const double c = 0.5 * static_cast<double>(a + b - 1);
    for (int i = a; i < b; ++i) {
      const double* phi = X + static_cast<long>(i) * m.p;
      double f = 0.0;
      for (int q = 0; q < m.p; ++q) f += (q == m.trend_col ? phi[q] - c : phi[q]) * beta[q];
      fitted[i] = f;
      if (y[i] == y[i]) resid[kv++] = y[i] - f;
    }
    a = b;
  }
}

// Prefix sums of the design moments of one series. X: [n][p] row-major basis rows (raw
// trend index), y: [n] with NaN = missing. Writes xx (when xx_hi is not null) and xy,
// layout stat * (n + 1) + i as in kernels/prefix.hpp.
TP_HD void fill_design_prefix(const double* X, int n, int p, const double* y, double* xx_hi,
                              double* xx_lo, double* xy_hi, double* xy_lo) {
  const long n1 = n + 1;
  const int npair = p * (p + 1) / 2;
  if (xx_hi)
    for (int s = 0; s < npair; ++s) xx_hi[s * n1] = xx_lo[s * n1] = 0.0;
  for (int s = 0; s <= p; ++s) xy_hi[s * n1] = xy_lo[s * n1] = 0.0;
  for (int i = 0; i < n; ++i) {
    const double v = y[i];
    const bool ok = v == v;
    const double* phi = X + static_cast<long>(i) * p;
    if (xx_hi) {
      int s = 0;
      for (int r = 0; r < p; ++r)
        for (int c = r; c < p; ++c, ++s) {
          double h = xx_hi[s * n1 + i], l = xx_lo[s * n1 + i];
          accumulate(h, l, ok ? phi[r] * phi[c] : 0.0);
          xx_hi[s * n1 + i + 1] = h;
          xx_lo[s * n1 + i + 1] = l;
        }
    }
    for (int s = 0; s <= p; ++s) {
      const double term = !ok ? 0.0 : (s < p ? phi[s] * v : v * v);
      double h = xy_hi[s * n1 + i], l = xy_lo[s * n1 + i];
      accumulate(h, l, term);
      xy_hi[s * n1 + i + 1] = h;
      xy_lo[s * n1 + i + 1] = l;
    }
  }
}

// Basis rows of the whole day axis, [n][p]: the same columns as BasisSpec::row.
TP_HD void fill_design(const BasisSpec& b, int n, double* X) {
  const int p = b.columns();
  for (int i = 0; i < n; ++i) b.row(i, n, X + static_cast<long>(i) * p);
}

}  // namespace turnpoint::kernels

#if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__)
#pragma GCC diagnostic pop
#endif
