// The generalised-least-squares whitening of the pattern model (kernels/pattern_model.hpp)
// and the onset sums every candidate turning point is priced with.
//
// Rows are the series' non-missing days j = 0..nv-1 (day index t_j on the axis). The AR(1)
// filter A maps a column z to
//   (A z)_j = w_j (z_j - a_j z_{j-1}),   a_0 = 0, w_0 = sqrt(1 - phi^2)   (Prais-Winsten),
//   a_j = phi^g, w_j = sqrt((1 - phi^2) / (1 - phi^(2g))) for a gap of g = t_j - t_{j-1} days,
// so that A u has independent entries of variance sigma_e^2 for AR(1) noise u, missing days
// included. Month effects enter as ridge rows (pattern_search.hpp).
//
// A change column is z_j = b_j s(t_j - tau) for t_j >= tau (0 before), s an onset shape.
// Every inner product the search needs -- of A z with a whitened vector, and of A z with A z'
// -- is, for all candidate days tau at once, a suffix sum
//   F(i) = sum_{j >= i} h_j (c (t_j - t_i))^m exp(-r (t_j - t_i)),   c = 1 / 365.25,
// computed backwards in O(nv) (onset_sums). So pricing every day as a turning point costs
// no more than one pass over the series per column.
#pragma once
#include <cmath>
#include <vector>

namespace turnpoint::kernels {

// Days per year of the kink shape: a kink's coefficient is a change of slope per year.
constexpr double kKinkScale = 1.0 / 365.25;

struct Whitener {
  std::vector<int> t;      // [nv] day index of each row
  std::vector<double> w;   // [nv] row weight
  std::vector<double> a;   // [nv] lag coefficient
  int rows() const { return static_cast<int>(t.size()); }

  Whitener() = default;
  Whitener(std::vector<int> days, double phi) : t(std::move(days)) {
    const int nv = rows();
    w.assign(nv, 1.0);
    a.assign(nv, 0.0);
    if (nv == 0 || phi == 0.0) return;
    const double one_minus = 1.0 - phi * phi;
    w[0] = std::sqrt(one_minus);
    for (int j = 1; j < nv; ++j) {
      const int g = t[j] - t[j - 1];
      a[j] = std::pow(phi, g);
      w[j] = std::sqrt(one_minus / (1.0 - a[j] * a[j]));
    }
  }

  // out = A z (z and out: [nv]).
  void apply(const double* z, double* out) const {
    const int nv = rows();
    for (int j = nv - 1; j >= 1; --j) out[j] = w[j] * (z[j] - a[j] * z[j - 1]);
    if (nv > 0) out[0] = w[0] * z[0];
  }
  // g = A' q (q and g: [nv]): g_j = w_j q_j - a_{j+1} w_{j+1} q_{j+1}.
  void apply_transpose(const double* q, double* g) const {
    const int nv = rows();
    for (int j = 0; j < nv; ++j)
      g[j] = w[j] * q[j] - (j + 1 < nv ? a[j + 1] * w[j + 1] * q[j + 1] : 0.0);
  }
};

// F_m(i) = sum_{j >= i} h_j (c d_ij)^m exp(-r d_ij), d_ij = t_j - t_i, for m = 0..m_max
// (m_max <= kMaxOnsetPower); out[m][i] (each [nv]). r = 0: no decay. Backwards, with
// (c (d + g))^m = sum_k binom(m, k) (c g)^(m - k) (c d)^k for the step g to the next row.
constexpr int kMaxOnsetPower = 4;
inline void onset_sums(const std::vector<int>& t, const double* h, int m_max, double r,
                       std::vector<double>* out) {
  const int nv = static_cast<int>(t.size());
  for (int m = 0; m <= m_max; ++m) out[m].assign(nv, 0.0);
  if (nv == 0) return;
  static constexpr double binom[kMaxOnsetPower + 1][kMaxOnsetPower + 1] = {
      {1, 0, 0, 0, 0}, {1, 1, 0, 0, 0}, {1, 2, 1, 0, 0}, {1, 3, 3, 1, 0}, {1, 4, 6, 4, 1}};
  out[0][nv - 1] = h[nv - 1];
  for (int i = nv - 2; i >= 0; --i) {
    const double gap = static_cast<double>(t[i + 1] - t[i]);
    const double f = r > 0.0 ? std::exp(-r * gap) : 1.0;
    const double cg = kKinkScale * gap;
    double pw[kMaxOnsetPower + 1];
    pw[0] = 1.0;
    for (int k = 1; k <= m_max; ++k) pw[k] = pw[k - 1] * cg;
    for (int m = m_max; m >= 1; --m) {  // orders m >= 1 get no h_i term: d = 0 at j = i
      double acc = 0.0;
      for (int k = 0; k <= m; ++k) acc += binom[m][k] * pw[m - k] * out[k][i + 1];
      out[m][i] = f * acc;
    }
    out[0][i] = h[i] + f * out[0][i + 1];
  }
}

}  // namespace turnpoint::kernels
