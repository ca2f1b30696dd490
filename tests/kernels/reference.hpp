// Slow, obviously-correct references for the tests: segment costs computed directly from
// the data (no prefix sums) and exhaustive searches over all segmentations.
#pragma once
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <vector>

#include <Eigen/Dense>

#include "kernels/basis.hpp"

namespace turnpoint::testing {

using SegCost = std::function<double(int, int)>;

inline std::vector<double> valid(const std::vector<double>& x, int a, int b) {
  std::vector<double> v;
  for (int i = a; i < b; ++i)
    if (!std::isnan(x[i])) v.push_back(x[i]);
  return v;
}

// Two-pass sum of squared deviations, as numpy's var() * n.
inline double direct_l2(const std::vector<double>& x, int a, int b) {
  auto v = valid(x, a, b);
  if (v.empty()) return 0.0;
  double mean = 0.0;
  for (double e : v) mean += e;
  mean /= static_cast<double>(v.size());
  double ss = 0.0;
  for (double e : v) ss += (e - mean) * (e - mean);
  return ss;
}

inline double direct_meanvar(const std::vector<double>& x, int a, int b, double floor) {
  auto v = valid(x, a, b);
  if (v.empty()) return 0.0;
  const double c = static_cast<double>(v.size());
  const double rss = direct_l2(x, a, b);
  const double var = std::max(rss / c, floor);
  return c * (std::log(2 * M_PI) + std::log(var)) + rss / var;
}

inline double direct_poisson(const std::vector<double>& x, int a, int b) {
  auto v = valid(x, a, b);
  double s = 0.0;
  for (double e : v) s += e;
  if (v.empty() || s <= 0.0) return 0.0;
  const double lam = s / static_cast<double>(v.size());
  double nll = 0.0;  // -2 log L without log(x!) = 2 sum (lam - x log lam)
  for (double e : v) nll += 2.0 * (lam - e * std::log(lam));
  return nll;
}

// Least squares RSS of the segment's own design matrix, by an SVD in long double (an
// independent route: no prefix sums, no normal equations). The trend column is centred
// and all columns equilibrated to unit norm (same column space). Directions whose singular
// value is below `cut` times the largest are dropped (numpy.linalg.lstsq's rcond); cut = 0
// is the exact least-squares fit. `min_sv` receives the smallest relative singular value.
inline double direct_regression(const std::vector<double>& x, int a, int b,
                                const kernels::BasisSpec& basis, int n,
                                double* min_sv = nullptr, long double cut = 0.0L) {
  using Mat = Eigen::Matrix<long double, Eigen::Dynamic, Eigen::Dynamic>;
  using Vec = Eigen::Matrix<long double, Eigen::Dynamic, 1>;
  const int p = basis.columns();
  std::vector<int> rows;
  for (int i = a; i < b; ++i)
    if (!std::isnan(x[i])) rows.push_back(i);
  if (rows.empty()) return 0.0;
  Mat X(static_cast<long>(rows.size()), p);
  Vec y(static_cast<long>(rows.size()));
  double phi[kernels::kMaxBasis];
  for (size_t r = 0; r < rows.size(); ++r) {
    basis.row(rows[r], n, phi);
    for (int c = 0; c < p; ++c) X(static_cast<long>(r), c) = phi[c];
    y(static_cast<long>(r)) = x[rows[r]];
  }
  if (basis.trend) X.col(1).array() -= 0.5L * (a + b - 1);
  for (int c = 0; c < p; ++c) {
    const long double norm = X.col(c).norm();
    if (norm > 0) X.col(c) /= norm;
  }
  Eigen::JacobiSVD<Mat> svd(X, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const Vec sv = svd.singularValues();
  const long double top = sv.size() ? sv(0) : 0.0L;
  Vec fit = Vec::Zero(y.size());
  double smallest = 1.0;
  for (long k = 0; k < sv.size(); ++k) {
    const long double rel = top > 0 ? sv(k) / top : 0.0L;
    smallest = std::min(smallest, static_cast<double>(rel));
    if (!(rel > cut)) continue;
    const Vec u = svd.matrixU().col(k);
    fit += u * u.dot(y);
  }
  if (min_sv) *min_sv = smallest;
  return static_cast<double>((y - fit).squaredNorm());
}

struct Segmentation {
  std::vector<int> changes;
  double cost = std::numeric_limits<double>::infinity();  // sum of segment costs
};

// Calls f(changes) for every segmentation of [0, n) with segments >= m days (and the
// whole series when n < 2m).
inline void for_each_segmentation(int n, int m, const std::function<void(const std::vector<int>&)>& f) {
  std::vector<int> cur;
  std::function<void(int)> rec = [&](int start) {
    f(cur);  // close here: last segment [start, n)
    for (int t = start + m; t <= n - m; ++t) {
      cur.push_back(t);
      rec(t);
      cur.pop_back();
    }
  };
  // the first segment must also be >= m: rec() starts at 0 and the loop respects it
  rec(0);
}

inline double total_cost(const SegCost& c, int n, const std::vector<int>& ch) {
  double s = 0.0;
  int a = 0;
  for (size_t j = 0; j <= ch.size(); ++j) {
    const int b = j < ch.size() ? ch[j] : n;
    s += c(a, b);
    a = b;
  }
  return s;
}

// Exhaustive penalised optimum; ties resolved like the DP (lexicographically smallest
// reversed change list is not needed: tests use continuous random data).
inline Segmentation brute_penalised(const SegCost& c, int n, int m, double pen) {
  Segmentation best;
  double best_v = std::numeric_limits<double>::infinity();
  for_each_segmentation(n, m, [&](const std::vector<int>& ch) {
    const double q = total_cost(c, n, ch);
    const double v = q + pen * static_cast<double>(ch.size());
    if (v < best_v) {
      best_v = v;
      best.changes = ch;
      best.cost = q;
    }
  });
  return best;
}

// Exhaustive best segmentation with exactly k changes (cost +inf if none exists).
inline Segmentation brute_exact_k(const SegCost& c, int n, int m, int k) {
  Segmentation best;
  for_each_segmentation(n, m, [&](const std::vector<int>& ch) {
    if (static_cast<int>(ch.size()) != k) return;
    const double q = total_cost(c, n, ch);
    if (q < best.cost) {
      best.cost = q;
      best.changes = ch;
    }
  });
  return best;
}

// Naive greedy binary segmentation, written as ruptures' Binseg reads.
inline std::vector<int> naive_binseg(const SegCost& c, int n, int m, int kmax, double pen) {
  std::vector<int> bkps{n};
  std::vector<int> order;
  while (static_cast<int>(order.size()) < kmax) {
    int best_t = -1;
    double best_g = -std::numeric_limits<double>::infinity();
    int a = 0;
    for (int b : bkps) {
      int seg_t = -1;
      double seg_g = -std::numeric_limits<double>::infinity();
      for (int t = a + m; t <= b - m; ++t) {
        const double g = c(a, b) - c(a, t) - c(t, b);
        if (g >= seg_g) { seg_g = g; seg_t = t; }
      }
      if (seg_t >= 0 && (best_t < 0 || seg_g > best_g)) { best_g = seg_g; best_t = seg_t; }
      a = b;
    }
    if (best_t < 0) break;
    if (pen >= 0 && !(best_g > pen)) break;
    order.push_back(best_t);
    bkps.push_back(best_t);
    std::sort(bkps.begin(), bkps.end());
  }
  return order;
}

inline bool close_rel(double a, double b, double tol) {
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::fabs(a - b) <= tol * std::max({1.0, std::fabs(a), std::fabs(b)});
}

}  // namespace turnpoint::testing
