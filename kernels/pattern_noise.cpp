#include "kernels/pattern_noise.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>

namespace turnpoint::kernels {

double robust_variance(std::vector<double> x) {
  const std::size_t n = x.size();
  if (n == 0) return 0.0;
  auto median = [](std::vector<double>& v) {
    const std::size_t h = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<long>(h), v.end());
    double m = v[h];
    if (v.size() % 2 == 0) m = 0.5 * (m + *std::max_element(v.begin(), v.begin() + static_cast<long>(h)));
    return m;
  };
  std::vector<double> work(x);
  const double med = median(work);
  for (std::size_t i = 0; i < n; ++i) work[i] = std::abs(x[i] - med);
  const double mad = median(work) / 0.6744897501960817;
  if (mad > 0.0) return mad * mad;
  double mean = 0.0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(n);
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return ss / static_cast<double>(n);
}

double ar_mean_variance(double L, double phi) {
  const int n = std::max(1, static_cast<int>(std::lround(L)));
  double s = 1.0, ph = 1.0;
  for (int h = 1; h < n; ++h) {
    ph *= phi;
    s += 2.0 * (1.0 - static_cast<double>(h) / n) * ph;
  }
  return s / n;
}

namespace {

// Residuals of the least-squares fit of y[rows] on the columns of `X` (rows x cols).
Eigen::VectorXd residuals(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  if (X.cols() == 0) return y;
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(X);
  return y - X * qr.solve(y);
}

}  // namespace

PatternNoise estimate_pattern_noise(const PatternDesign& d, const double* y,
                                    const std::vector<int>& rows, double phi_max) {
  PatternNoise out;
  const int nv = static_cast<int>(rows.size());
  if (nv < 3) return out;
  const bool months = !d.month.empty() && d.n_months > 0;
  // Months that have data, renumbered 0..K-1.
  std::vector<int> month_col(months ? d.n_months : 0, -1);
  int K = 0;
  if (months)
    for (int j = 0; j < nv; ++j)
      if (month_col[d.month[rows[j]]] < 0) month_col[d.month[rows[j]]] = K++;

  Eigen::MatrixXd X(nv, d.p);
  Eigen::VectorXd yv(nv);
  for (int j = 0; j < nv; ++j) {
    yv(j) = y[rows[j]];
    for (int c = 0; c < d.p; ++c) X(j, c) = d.row(rows[j])[c];
  }
  const Eigen::VectorXd r = residuals(X, yv);

  // Daily noise from the residuals within months (or of the pattern alone without months).
  Eigen::VectorXd w = r;
  if (months) {
    Eigen::MatrixXd XB(nv, d.p + K);
    XB.leftCols(d.p) = X;
    XB.rightCols(K).setZero();
    for (int j = 0; j < nv; ++j) XB(j, d.p + month_col[d.month[rows[j]]]) = 1.0;
    w = residuals(XB, yv);
  }
  std::vector<double> wv(w.data(), w.data() + nv), diffs;
  for (int j = 1; j < nv; ++j)
    if (rows[j] == rows[j - 1] + 1 && (!months || d.month[rows[j]] == d.month[rows[j - 1]]))
      diffs.push_back(wv[j] - wv[j - 1]);
  const double g0 = robust_variance(wv);
  const double d1 = robust_variance(diffs);
  double phi = g0 > 0.0 ? 1.0 - d1 / (2.0 * g0) : 0.0;
  phi = std::clamp(phi, 0.0, phi_max);
  out.phi = phi;
  double se2 = g0 * (1.0 - phi * phi);

  // Month effects from the month means of the pattern's residuals.
  double tau2 = 0.0;
  if (months && K >= 3) {
    std::vector<double> sum(d.n_months, 0.0);
    std::vector<int> count(d.n_months, 0);
    for (int j = 0; j < nv; ++j) {
      sum[d.month[rows[j]]] += r(j);
      ++count[d.month[rows[j]]];
    }
    std::vector<double> steps;
    double days = 0.0;
    int used = 0;
    for (int m = 0; m < d.n_months; ++m) {
      if (count[m] < kMinMonthDays) continue;
      days += count[m];
      ++used;
      if (m > 0 && count[m - 1] >= kMinMonthDays)
        steps.push_back(sum[m] / count[m] - sum[m - 1] / count[m - 1]);
    }
    if (steps.size() >= 2) {
      const double mean_days = days / used;
      tau2 = std::max(0.0, 0.5 * robust_variance(steps) - g0 * ar_mean_variance(mean_days, phi));
    }
  }
  out.tau = std::sqrt(tau2);
  // A series constant within its months (monthly data repeated daily) has no daily noise:
  // keep a floor so its months are still weighed against tau, not divided by zero.
  se2 = std::max(se2, 1e-6 * tau2);
  out.sigma_e = std::sqrt(se2);
  return out;
}

}  // namespace turnpoint::kernels
