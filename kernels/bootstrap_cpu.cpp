// CPU launcher of the bootstrap kernels: one OpenMP thread owns one series and runs its B
// replicates, so the X'X prefix sums (independent of y) are built once per series and only
// the p + 1 y-dependent prefix rows are rebuilt per replicate. Every fit a replicate needs
// (window, halves and level model at each candidate day) is factored once per series and
// kept as a projector (kernels/bootstrap_projector.hpp): a replicate's fit is then a
// matrix-vector product. Same numbers as relocate_change (kernels/bootstrap.hpp).
#include <algorithm>
#include <cmath>
#include <vector>

#include <omp.h>

#include "kernels/bootstrap_batch.hpp"
#include "kernels/bootstrap_projector.hpp"

namespace turnpoint::kernels {
namespace {

// Linear-interpolation quantile (type 7) of sorted values.
double quantile(const std::vector<int>& v, double q) {
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t i = static_cast<size_t>(pos);
  const double f = pos - static_cast<double>(i);
  return i + 1 < v.size() ? v[i] + f * (v[i + 1] - v[i]) : v[i];
}

// The factored fits of one series, built on first use and reused by every replicate.
class FitCache {
 public:
  struct Fit {
    long off = -1;  // into pool_; -1 = not built yet
    int rank = 0, q = 0;
    bool empty = false;  // no non-missing day: RSS 0, rank 0 (as segment_rss)
  };
  // Window of change j: [a, b), candidates lo..hi (lo > hi: none).
  struct Window {
    int a = 0, b = 0, lo = 0, hi = -1;
    double n_ab = 0;
    Fit whole;
    long first = 0;  // index of its candidates' fits in fits_ (3 per candidate)
  };
  void reset() { pool_.clear(); fits_.clear(); windows_.clear(); }
  Window& add_window(const MomentView& m, int a, int t, int b, int search, int min_size) {
    Window w;
    w.a = a; w.b = b;
    w.lo = t - search < a + min_size ? a + min_size : t - search;
    w.hi = t + search > b - min_size ? b - min_size : t + search;
    w.n_ab = m.xx.seg(0, a, b);
    w.first = static_cast<long>(fits_.size());
    if (w.hi >= w.lo) fits_.resize(fits_.size() + 3 * static_cast<size_t>(w.hi - w.lo + 1));
    windows_.push_back(w);
    return windows_.back();
  }
  const Window& window(size_t j) const { return windows_[j]; }
  Window& window(size_t j) { return windows_[j]; }
  // RSS of a fit given its right-hand side; builds the projector on first use.
  double rss(const MomentView& m, Fit& f, int kind, int a, int t, int b, const double* r,
             double yy, int& rank) {
    if (f.off < 0) build(m, f, kind, a, t, b);
    rank = f.rank;
    if (f.empty) return 0.0;
    const double v = yy - projected_norm2(pool_.data() + f.off, f.rank, f.q, r);
    return v > 0.0 ? v : 0.0;
  }
  Fit& candidate(const Window& w, int t, int which) {  // which: 0 left, 1 right, 2 level
    return fits_[static_cast<size_t>(w.first + 3 * (t - w.lo) + which)];
  }

 private:
  void build(const MomentView& m, Fit& f, int kind, int a, int t, int b) {
    double G[kMaxSplitCols * kMaxSplitCols], nv = 0.0;
    constexpr int ld = kMaxSplitCols;
    if (kind == 2) {
      f.q = level_gram(m, a, t, b, G, ld, nv);
    } else {
      f.q = m.p;
      segment_gram(m, a, b, G, ld, nv);
    }
    f.off = static_cast<long>(pool_.size());
    if (!(nv > 0.0)) { f.empty = true; f.rank = 0; return; }
    double M[kMaxSplitCols * kMaxSplitCols];
    f.rank = make_projector(G, ld, f.q, M);
    pool_.insert(pool_.end(), M, M + static_cast<size_t>(f.rank) * f.q);
  }
  std::vector<double> pool_;
  std::vector<Fit> fits_;
  std::vector<Window> windows_;
};

// relocate_change with the cached projectors (same result up to rounding).
ReplicateHit relocate_cached(const MomentView& m, FitCache& cache, size_t j, double pen,
                             bool mbic, double alpha) {
  ReplicateHit hit;
  FitCache::Window& w = cache.window(j);
  if (w.lo > w.hi) return hit;
  double r[kMaxSplitCols], yy;
  int r0 = 0, rl = 0, rr = 0, best_r12 = 0;
  segment_rhs(m, w.a, w.b, r, yy);
  const double whole = cache.rss(m, w.whole, 0, w.a, 0, w.b, r, yy, r0);
  double best = -inf(), best_full = 0.0;
  for (int t = w.lo; t <= w.hi; ++t) {
    segment_rhs(m, w.a, t, r, yy);
    const double left = cache.rss(m, cache.candidate(w, t, 0), 0, w.a, 0, t, r, yy, rl);
    segment_rhs(m, t, w.b, r, yy);
    const double right = cache.rss(m, cache.candidate(w, t, 1), 1, t, 0, w.b, r, yy, rr);
    double g = whole - (left + right);
    if (mbic)
      g += std::log(static_cast<double>(w.b - w.a)) - std::log(static_cast<double>(t - w.a)) -
           std::log(static_cast<double>(w.b - t));
    if (g > best) { best = g; hit.t = t; best_full = left + right; best_r12 = rl + rr; }
  }
  hit.significant = best > pen;
  if (hit.significant) {
    int rlev = 0;
    level_rhs(m, w.a, hit.t, w.b, r, yy);
    const double level =
        cache.rss(m, cache.candidate(w, hit.t, 2), 2, w.a, hit.t, w.b, r, yy, rlev);
    // The one-group fits are needed only at the best split: solved directly.
    hit.kind = classify_with_groups(m, w.a, hit.t, w.b, 1.0, whole, level, best_full, r0, rlev,
                                    best_r12, w.n_ab, alpha).kind;
  }
  return hit;
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
    FitCache cache;
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
                         PrefixView{xy_hi.data(), xy_lo.data(), n1i}, p, d.trend_col,
                         d.groups};
      fit_segmentation(m, d.X.data(), y, n, ch, k, fitted.data(), resid.data());
      int n_valid = 0;
      for (int t = 0; t < n; ++t) n_valid += y[t] == y[t];
      const int block = s.block > 0 ? s.block : default_block_length(n_valid);
      hits.assign(static_cast<size_t>(k) * s.replicates, ReplicateHit{});
      cache.reset();
      for (int j = 0; j < k; ++j)
        cache.add_window(m, j > 0 ? ch[j - 1] : 0, ch[j], j + 1 < k ? ch[j + 1] : n, s.search,
                         min_size);
      for (int r = 0; r < s.replicates; ++r) {
        Rng rng = Rng::stream(s.seed, i, r);
        block_resample(y, fitted.data(), resid.data(), n, n_valid, block, rng, y_star.data());
        // Only the y-dependent rows change: X'X rows are passed as null.
        fill_design_prefix(d.X.data(), n, p, y_star.data(), nullptr, nullptr, xy_hi.data(),
                           xy_lo.data());
        for (int j = 0; j < k; ++j) {
          if (!list.score.empty() && !list.score[lo + j]) continue;
          hits[static_cast<size_t>(j) * s.replicates + r] =
              relocate_cached(m, cache, static_cast<size_t>(j), penalty[i], s.mbic, s.alpha);
        }
      }
      for (int j = 0; j < k; ++j) {
        if (!list.score.empty() && !list.score[lo + j]) {
          out[lo + j] = ChangeScore{std::nan(""), -1, -1};
          continue;
        }
        out[lo + j] = summarize_hits(hits.data() + static_cast<size_t>(j) * s.replicates, 1,
                                     ch[j], list.kinds[lo + j], s, days);
      }
    }
  }
}

ChangeScore summarize_hits(const ReplicateHit* hits, long stride, int t, int kind,
                           const BootstrapSettings& s, std::vector<int>& days) {
  int found = 0;
  days.clear();
  for (int r = 0; r < s.replicates; ++r) {
    const ReplicateHit& h = hits[r * stride];
    if (!h.significant) continue;
    days.push_back(h.t);
    if (h.kind == kind && std::abs(h.t - t) <= s.tolerance) ++found;
  }
  ChangeScore sc;
  sc.confidence = s.replicates > 0 ? static_cast<double>(found) / s.replicates : 0.0;
  if (days.empty()) {
    sc.ci_lo = sc.ci_hi = t;
  } else {
    std::sort(days.begin(), days.end());
    const double tail = 0.5 * (1.0 - s.interval);
    sc.ci_lo = static_cast<int>(std::floor(quantile(days, tail)));
    sc.ci_hi = static_cast<int>(std::ceil(quantile(days, 1.0 - tail)));
    // An interval for the reported day contains it: when the replicates re-locate the
    // change consistently a day or two away, the interval stretches to the day itself.
    sc.ci_lo = std::min(sc.ci_lo, t);
    sc.ci_hi = std::max(sc.ci_hi, t);
  }
  return sc;
}

}  // namespace turnpoint::kernels
