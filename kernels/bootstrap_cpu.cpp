// CPU launcher of the bootstrap kernels: one OpenMP thread owns one series and runs its B
// replicates, so the X'X prefix sums (independent of y) are built once per series and only
// the p + 1 y-dependent prefix rows are rebuilt per replicate.
#include <algorithm>
#include <cmath>
#include <vector>

#include <omp.h>

#include "kernels/bootstrap_batch.hpp"

namespace turnpoint::kernels {
namespace {

// Linear-interpolation quantile (type 7) of sorted values.
double quantile(const std::vector<int>& v, double q) {
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t i = static_cast<size_t>(pos);
  const double f = pos - static_cast<double>(i);
  return i + 1 < v.size() ? v[i] + f * (v[i + 1] - v[i]) : v[i];
}

}  // namespace

void bootstrap_changes_cpu(const double* values, std::int64_t n_series, const DesignMatrix& d,
                           const ChangeList& list, const double* penalty,
                           const BootstrapSettings& s, std::vector<ChangeScore>& out) {
  out.assign(list.changes.size(), ChangeScore{});
  const int n = d.n, p = d.p;
  const size_t n1 = static_cast<size_t>(n) + 1;
  const size_t npair = static_cast<size_t>(p) * (p + 1) / 2;
  const int min_size = std::max(s.min_size, p);
#pragma omp parallel
  {
    std::vector<double> xx_hi(npair * n1), xx_lo(npair * n1), xy_hi((p + 1) * n1),
        xy_lo((p + 1) * n1), fitted(n), resid(n), y_star(n);
    std::vector<ReplicateHit> hits;
    std::vector<int> days;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t i = 0; i < n_series; ++i) {
      const std::int64_t lo = list.offsets[i], hi = list.offsets[i + 1];
      const int k = static_cast<int>(hi - lo);
      if (k == 0) continue;
      const double* y = values + i * n;
      const int* ch = list.changes.data() + lo;
      fill_design_prefix(d.X.data(), n, p, y, xx_hi.data(), xx_lo.data(), xy_hi.data(),
                         xy_lo.data());
      const int n1i = n + 1;
      const MomentView m{PrefixView{xx_hi.data(), xx_lo.data(), n1i},
                         PrefixView{xy_hi.data(), xy_lo.data(), n1i}, p, d.trend_col};
      fit_segmentation(m, d.X.data(), y, n, ch, k, fitted.data(), resid.data());
      int n_valid = 0;
      for (int t = 0; t < n; ++t) n_valid += y[t] == y[t];
      const int block = s.block > 0 ? s.block : default_block_length(n_valid);
      hits.assign(static_cast<size_t>(k) * s.replicates, ReplicateHit{});
      for (int r = 0; r < s.replicates; ++r) {
        Rng rng = Rng::stream(s.seed, i, r);
        block_resample(y, fitted.data(), resid.data(), n, n_valid, block, rng, y_star.data());
        // Only the y-dependent rows change: X'X rows are passed as null.
        fill_design_prefix(d.X.data(), n, p, y_star.data(), nullptr, nullptr, xy_hi.data(),
                           xy_lo.data());
        for (int j = 0; j < k; ++j) {
          if (!list.score.empty() && !list.score[lo + j]) continue;
          const ChangeWindow w{j > 0 ? ch[j - 1] : 0, ch[j], j + 1 < k ? ch[j + 1] : n,
                               list.kinds[lo + j]};
          hits[static_cast<size_t>(j) * s.replicates + r] =
              relocate_change(m, w, s.search, min_size, 1.0, penalty[i], s.mbic, s.alpha);
        }
      }
      for (int j = 0; j < k; ++j) {
        if (!list.score.empty() && !list.score[lo + j]) {
          out[lo + j] = ChangeScore{std::nan(""), -1, -1};
          continue;
        }
        int found = 0;
        days.clear();
        for (int r = 0; r < s.replicates; ++r) {
          const ReplicateHit& h = hits[static_cast<size_t>(j) * s.replicates + r];
          if (!h.significant) continue;
          days.push_back(h.t);
          if (h.kind == list.kinds[lo + j] && std::abs(h.t - ch[j]) <= s.tolerance) ++found;
        }
        ChangeScore& sc = out[lo + j];
        sc.confidence = s.replicates > 0 ? static_cast<double>(found) / s.replicates : 0.0;
        if (days.empty()) {
          sc.ci_lo = sc.ci_hi = ch[j];
        } else {
          std::sort(days.begin(), days.end());
          const double tail = 0.5 * (1.0 - s.interval);
          sc.ci_lo = static_cast<int>(std::floor(quantile(days, tail)));
          sc.ci_hi = static_cast<int>(std::ceil(quantile(days, 1.0 - tail)));
        }
      }
    }
  }
}

}  // namespace turnpoint::kernels
