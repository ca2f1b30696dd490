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

double winsorized_variance(const std::vector<double>& x) {
  const std::size_t n = x.size();
  if (n < 2) return robust_variance(x);
  std::vector<double> work(x);
  const std::size_t h = n / 2;
  std::nth_element(work.begin(), work.begin() + static_cast<long>(h), work.end());
  const double med = work[h];
  const double s = std::sqrt(robust_variance(x));
  if (!(s > 0.0)) return robust_variance(x);
  // Values beyond c robust deviations count as c: the efficiency of the variance (about
  // 90 % at c = 2.5) where the MAD's is 37 %, while an outlier or a jump still counts once.
  constexpr double c = 2.5;
  double ss = 0.0;
  for (double v : x) {
    const double z = std::min(std::abs(v - med) / s, c);
    ss += z * z;
  }
  // E[min(Z^2, c^2)] for a standard normal Z: the factor that makes it consistent.
  const double tail = 0.5 * std::erfc(c / std::sqrt(2.0));
  const double dens = std::exp(-0.5 * c * c) / std::sqrt(2.0 * M_PI);
  const double consistency = (1.0 - 2.0 * tail) - 2.0 * c * dens + 2.0 * c * c * tail;
  return s * s * ss / (static_cast<double>(n) * consistency);
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
  // The month levels replace the intercept (column 0), which they span exactly: an exactly
  // collinear design would leave the fit to the QR's rank threshold, and the residuals --
  // so the noise -- would change with, say, where the trend column is centred.
  Eigen::VectorXd w = r;
  if (months) {
    Eigen::MatrixXd XB(nv, d.p - 1 + K);
    XB.leftCols(d.p - 1) = X.rightCols(d.p - 1);
    XB.rightCols(K).setZero();
    for (int j = 0; j < nv; ++j) XB(j, d.p - 1 + month_col[d.month[rows[j]]]) = 1.0;
    w = residuals(XB, yv);
  }
  std::vector<double> wv(w.data(), w.data() + nv), diffs;
  for (int j = 1; j < nv; ++j)
    if (rows[j] == rows[j - 1] + 1 && (!months || d.month[rows[j]] == d.month[rows[j - 1]]))
      diffs.push_back(wv[j] - wv[j - 1]);
  // Small-sample corrections, negligible on years of days but not on 60 months: residuals
  // of a fit of p columns are smaller than the noise by (nv - p) / nv, and the lag-one
  // autocorrelation of residuals is biased low by about (1 + 3 phi) / nv (Kendall 1954;
  // Marriott & Pope 1954). Left uncorrected, a short autocorrelated series looks quieter and
  // less persistent than it is, and its wanderings pass for changes.
  const int p_fit = months ? d.p - 1 + K : d.p;
  const double dof = nv > p_fit + 2 ? static_cast<double>(nv) / (nv - p_fit) : 1.0;
  const double g0 = winsorized_variance(wv) * dof;
  const double d1 = winsorized_variance(diffs) * dof;
  double phi = g0 > 0.0 ? 1.0 - d1 / (2.0 * g0) : 0.0;
  if (phi > 0.0) phi += (1.0 + 3.0 * phi) / nv;
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
