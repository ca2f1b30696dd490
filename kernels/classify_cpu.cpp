// CPU launcher of the classification and noise-scale kernels: one OpenMP thread owns one
// series at a time with its own prefix-sum workspace (DESIGN.md §4).
#include <algorithm>
#include <cmath>
#include <vector>

#include <omp.h>

#include "kernels/classify_batch.hpp"

namespace turnpoint::kernels {
namespace {

struct SeriesMoments {
  std::vector<double> xx_hi, xx_lo, xy_hi, xy_lo;
  MomentView build(const DesignMatrix& d, const double* y) {
    const size_t n1 = static_cast<size_t>(d.n) + 1;
    const size_t npair = static_cast<size_t>(d.p) * (d.p + 1) / 2;
    xx_hi.resize(npair * n1); xx_lo.resize(npair * n1);
    xy_hi.resize((d.p + 1) * n1); xy_lo.resize((d.p + 1) * n1);
    fill_design_prefix(d.X.data(), d.n, d.p, y, xx_hi.data(), xx_lo.data(), xy_hi.data(),
                       xy_lo.data());
    const int n1i = d.n + 1;
    return MomentView{PrefixView{xx_hi.data(), xx_lo.data(), n1i},
                      PrefixView{xy_hi.data(), xy_lo.data(), n1i}, d.p, d.trend_col, d.groups};
  }
};

}  // namespace

DesignMatrix make_design(const BasisSpec& spec, int n) {
  DesignMatrix d;
  d.n = n;
  d.p = spec.columns();
  d.trend_col = spec.trend_column();
  // The seasonal column groups tested one by one: weekly, yearly, holidays (in basis order).
  int c = 1 + (spec.trend ? 1 : 0);
  for (const int width : {2 * spec.weekly, 2 * spec.yearly, spec.n_dummies}) {
    if (width > 0 && d.groups.n < kMaxGroups) {
      d.groups.lo[d.groups.n] = c;
      d.groups.hi[d.groups.n] = c + width;
      ++d.groups.n;
    }
    c += width;
  }
  d.X.resize(static_cast<size_t>(n) * d.p);
  fill_design(spec, n, d.X.data());
  return d;
}

void classify_changes_cpu(const double* values, std::int64_t n_series, const DesignMatrix& d,
                          ChangeList& list, double alpha, std::vector<SplitTest>* tests) {
  list.kinds.assign(list.changes.size(), kKindEvent);
  if (tests) tests->assign(list.changes.size(), SplitTest{});
#pragma omp parallel
  {
    SeriesMoments w;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t i = 0; i < n_series; ++i) {
      const std::int64_t lo = list.offsets[i], hi = list.offsets[i + 1];
      if (hi == lo) continue;
      const MomentView m = w.build(d, values + i * d.n);
      for (std::int64_t j = lo; j < hi; ++j) {
        const int a = j > lo ? list.changes[j - 1] : 0;
        const int b = j + 1 < hi ? list.changes[j + 1] : d.n;
        const SplitTest t = classify_split(m, a, list.changes[j], b, 1.0, alpha);
        list.kinds[j] = t.kind;
        if (tests) (*tests)[j] = t;
      }
    }
  }
}

namespace {

// Robust sd of first differences / sqrt 2 (the MAD rule); sd of them when the MAD is 0.
double robust_diff_scale(const double* v, int n, std::vector<double>& diff) {
  diff.clear();
  for (int k = 1; k < n; ++k) diff.push_back(std::fabs(v[k] - v[k - 1]));
  if (diff.empty()) return 0.0;
  auto mid = diff.begin() + static_cast<long>(diff.size() / 2);
  std::nth_element(diff.begin(), mid, diff.end());
  double s = *mid / (0.6744897501960817 * std::sqrt(2.0));
  if (!(s > 0.0)) {
    double ss = 0.0;
    for (double x : diff) ss += x * x;
    s = std::sqrt(ss / static_cast<double>(diff.size()) / 2.0);
  }
  return s;
}

}  // namespace

void noise_scale_cpu(const double* values, std::int64_t n_series, const DesignMatrix& d,
                     double* sigma, int batch, double max_ratio, double* batch_sd) {
#pragma omp parallel
  {
    SeriesMoments w;
    std::vector<double> fitted(d.n), resid(d.n), diff;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t i = 0; i < n_series; ++i) {
      const double* y = values + i * d.n;
      int n_valid = 0;
      for (int t = 0; t < d.n; ++t) n_valid += y[t] == y[t];
      sigma[i] = 0.0;
      if (batch_sd) batch_sd[i] = std::nan("");
      if (n_valid < 3) continue;
      const MomentView m = w.build(d, y);
      fit_segmentation(m, d.X.data(), y, d.n, nullptr, 0, fitted.data(), resid.data());
      double s = robust_diff_scale(resid.data(), n_valid, diff);
      if (batch > 0 && n_valid >= 4 * batch) {
        std::vector<double> means;
        for (int k = 0; k + batch <= n_valid; k += batch) {
          double sum = 0.0;
          for (int q = k; q < k + batch; ++q) sum += resid[q];
          means.push_back(sum / batch);
        }
        // Second differences: a smooth misfit (the single fit bending to follow a level
        // shift) cancels, white batch means give var 6 tau^2; MAD-based like above.
        std::vector<double> second;
        for (size_t k = 1; k + 1 < means.size(); ++k)
          second.push_back(means[k + 1] - 2.0 * means[k] + means[k - 1]);
        std::vector<double> cum(second.size() + 1, 0.0);  // robust_diff_scale takes levels
        for (size_t k = 0; k < second.size(); ++k) cum[k + 1] = cum[k] + second[k];
        const double long_run = std::sqrt(static_cast<double>(batch)) *
                                robust_diff_scale(cum.data(), static_cast<int>(cum.size()), diff) *
                                std::sqrt(2.0 / 6.0);
        if (batch_sd) batch_sd[i] = long_run / std::sqrt(static_cast<double>(batch));
        s = std::max(s, std::min(long_run, max_ratio * s));
      }
      sigma[i] = s;
    }
  }
}

void level_steps_cpu(const double* values, std::int64_t n_series, const DesignMatrix& d,
                     const ChangeList& list, int window, double* steps, double* before_mean) {
#pragma omp parallel
  {
    SeriesMoments w;
    std::vector<double> fitted(d.n), resid(d.n);
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t i = 0; i < n_series; ++i) {
      const std::int64_t lo = list.offsets[i], hi = list.offsets[i + 1];
      if (lo == hi) continue;
      const double* y = values + i * d.n;
      const MomentView m = w.build(d, y);
      const int* ch = list.changes.data() + lo;
      const int k = static_cast<int>(hi - lo);
      fit_segmentation(m, d.X.data(), y, d.n, ch, k, fitted.data(), resid.data());
      for (int j = 0; j < k; ++j) {
        const int t = ch[j];
        const int a = std::max(t - window, j > 0 ? ch[j - 1] : 0);
        const int b = std::min(t + window, j + 1 < k ? ch[j + 1] : d.n);
        double before = 0.0, after = 0.0;
        for (int q = a; q < t; ++q) before += fitted[q];
        for (int q = t; q < b; ++q) after += fitted[q];
        steps[lo + j] = after / (b - t) - before / (t - a);
        if (before_mean) before_mean[lo + j] = before / (t - a);
      }
    }
  }
}

void subtract_anchor_profile(double* values, std::int64_t n_series, const DesignMatrix& d,
                             const std::vector<int>& anchors, int first, int last) {
  if (anchors.size() < 3 || last < first) return;
#pragma omp parallel
  {
    SeriesMoments w;
    std::vector<double> fitted(d.n), resid(d.n), at;
    std::vector<double> profile(static_cast<size_t>(last - first + 1));
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t i = 0; i < n_series; ++i) {
      double* y = values + i * d.n;
      int n_valid = 0;
      for (int t = 0; t < d.n; ++t) n_valid += y[t] == y[t];
      if (n_valid < 4 * d.p) continue;
      const MomentView m = w.build(d, y);
      fit_segmentation(m, d.X.data(), y, d.n, nullptr, 0, fitted.data(), resid.data());
      for (int k = first; k <= last; ++k) {
        at.clear();
        for (int a : anchors) {
          const int t = a + k;
          if (t >= 0 && t < d.n && y[t] == y[t]) at.push_back(y[t] - fitted[t]);
        }
        double med = 0.0;
        if (at.size() >= 3) {
          std::sort(at.begin(), at.end());
          const size_t h = at.size() / 2;
          med = at.size() % 2 ? at[h] : 0.5 * (at[h - 1] + at[h]);
        }
        profile[static_cast<size_t>(k - first)] = med;
      }
      for (int a : anchors)
        for (int k = first; k <= last; ++k) {
          const int t = a + k;
          if (t >= 0 && t < d.n) y[t] -= profile[static_cast<size_t>(k - first)];
        }
    }
  }
}

}  // namespace turnpoint::kernels
