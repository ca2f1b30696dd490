#include "python/src/ruptures_grid.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "kernels/cost_mean.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/error.hpp"
#include "kernels/pelt.hpp"
#include "kernels/pivoted_cholesky.hpp"
#include "kernels/prefix.hpp"
#include "kernels/segneigh.hpp"

namespace turnpoint::python {
namespace {

using kernels::PrefixView;

// Compensated prefix sums (kernels/prefix.hpp) of `ns` statistics per sample.
struct Prefix {
  std::vector<double> hi, lo;
  int n1 = 0;
  PrefixView view() const { return {hi.data(), lo.data(), n1}; }
};

template <class Stats>
Prefix make_prefix(int n, int ns, Stats stats) {
  Prefix p;
  p.n1 = n + 1;
  p.hi.assign(static_cast<std::size_t>(ns) * p.n1, 0.0);
  p.lo.assign(static_cast<std::size_t>(ns) * p.n1, 0.0);
  std::vector<double> day(static_cast<std::size_t>(ns));
  for (int i = 0; i < n; ++i) {
    stats(i, day.data());
    for (int s = 0; s < ns; ++s) {
      const std::size_t at = static_cast<std::size_t>(s) * p.n1 + i;
      double h = p.hi[at], l = p.lo[at];
      kernels::accumulate(h, l, day[static_cast<std::size_t>(s)]);
      p.hi[at + 1] = h;
      p.lo[at + 1] = l;
    }
  }
  return p;
}

// CostL2, one column or several (summed): the engine's mean cost (kernels/cost_mean.hpp)
// with sigma = 1, on each column shifted by its mean (less cancellation, same cost).
struct L2Cost {
  std::vector<Prefix> prefixes;
  std::vector<double> inv_len;
  std::vector<kernels::MeanCost> columns;

  L2Cost(const RupturesProblem& p) {
    inv_len.resize(static_cast<std::size_t>(p.n) + 1);
    inv_len[0] = 0.0;
    for (int i = 1; i <= p.n; ++i) inv_len[static_cast<std::size_t>(i)] = 1.0 / i;
    prefixes.reserve(static_cast<std::size_t>(p.d));
    for (int c = 0; c < p.d; ++c) {
      double mean = 0.0;
      for (int i = 0; i < p.n; ++i) mean += p.signal[static_cast<std::size_t>(i) * p.d + c];
      mean /= p.n;
      prefixes.push_back(make_prefix(p.n, kernels::MeanStats::n_stats, [&](int i, double* out) {
        kernels::MeanStats::day(p.signal[static_cast<std::size_t>(i) * p.d + c] - mean, out);
      }));
    }
    for (const Prefix& pr : prefixes) columns.push_back(kernels::MeanCost{pr.view(), 1.0, inv_len.data()});
  }
  double operator()(int a, int b) const {
    double total = 0.0;
    for (const auto& c : columns) total += c(a, b);
    return total;
  }
};

// CostNormal of one column: len * log(var + 1e-6), var the segment's variance (ddof 0).
struct NormalCost {
  L2Cost l2;
  double diag;
  NormalCost(const RupturesProblem& p) : l2(p), diag(p.add_small_diag ? 1e-6 : 0.0) {}
  double operator()(int a, int b) const {
    const double len = static_cast<double>(b - a);
    return len * std::log(l2(a, b) / len + diag);
  }
};

// CostLinear: the residual sum of squares of column 0 regressed on columns 1..d-1, from
// prefix sums of the cross products and the engine's least-squares kernel
// (kernels/pivoted_cholesky.hpp, as kernels/cost_regression.hpp uses it). Like numpy's
// lstsq in ruptures, a segment with no more samples than covariates has no residual: 0.
struct LinearCost {
  Prefix prefix;
  int q = 0;
  LinearCost(const RupturesProblem& p) : q(p.d - 1) {
    const int ns = q * (q + 1) / 2 + q + 1;
    prefix = make_prefix(p.n, ns, [&](int i, double* out) {
      const double* row = p.signal + static_cast<std::size_t>(i) * p.d;
      const double y = row[0];
      const double* x = row + 1;
      int s = 0;
      for (int r = 0; r < q; ++r)
        for (int c = r; c < q; ++c) out[s++] = x[r] * x[c];
      for (int r = 0; r < q; ++r) out[s++] = x[r] * y;
      out[s] = y * y;
    });
  }
  double operator()(int a, int b) const {
    if (b - a <= q) return 0.0;
    const PrefixView v = prefix.view();
    double G[kernels::kMaxBasis * kernels::kMaxBasis];
    double r[kernels::kMaxBasis], z[kernels::kMaxBasis];
    int s = 0;
    for (int i = 0; i < q; ++i)
      for (int j = i; j < q; ++j) G[i * q + j] = G[j * q + i] = v.seg(s++, a, b);
    for (int i = 0; i < q; ++i) r[i] = v.seg(s++, a, b);
    const double yy = v.seg(s, a, b);
    kernels::PivotedCholesky<kernels::kMaxBasis> chol;
    chol.factor(G, q, q, 1e-10);
    const double rss = yy - chol.forward(G, q, r, z);
    return rss > 0.0 ? rss : 0.0;
  }
};

// A cost on the grid of cells (see the header): cell segment [a, b) is samples
// [pos(a), pos(b)); a segment shorter than min_size samples (only a last one can be) is
// infeasible.
template <class Cost>
struct GridCost {
  const Cost& cost;
  int jump, n, min_size;
  int pos(int g) const {
    const long p = static_cast<long>(g) * jump;
    return p < n ? static_cast<int>(p) : n;
  }
  double operator()(int a, int b) const {
    const int pa = pos(a), pb = pos(b);
    if (pb - pa < min_size) return kernels::inf();
    return cost(pa, pb);
  }
  double prune_slack(int, int) const { return 0.0; }
};

int cells(const RupturesProblem& p) { return (p.n + p.jump - 1) / p.jump; }
int cell_min_size(const RupturesProblem& p) { return (p.min_size + p.jump - 1) / p.jump; }

template <class F>
auto with_cost(const RupturesProblem& p, F&& f) {
  TURNPOINT_EXPECTS(p.n >= 1 && p.d >= 1 && p.jump >= 1 && p.min_size >= 1,
                    "bad segmentation parameters (n {}, columns {}, jump {}, min_size {})", p.n, p.d,
                    p.jump, p.min_size);
  switch (p.model) {
    case RupturesModel::l2: return f(L2Cost(p));
    case RupturesModel::normal:
      TURNPOINT_EXPECTS(p.d == 1, "model 'normal' takes one column here (got {})", p.d);
      return f(NormalCost(p));
    case RupturesModel::linear:
      TURNPOINT_EXPECTS(p.d >= 2 && p.d - 1 <= kernels::kMaxBasis,
                        "model 'linear' needs the signal in column 0 and 1..{} covariates in the "
                        "others (got {} columns)", kernels::kMaxBasis, p.d);
      return f(LinearCost(p));
  }
  TURNPOINT_FAIL("unknown model");
}

std::vector<int> to_bkps(const std::vector<int>& cell_changes, const RupturesProblem& p) {
  std::vector<int> out;
  out.reserve(cell_changes.size() + 1);
  for (int c : cell_changes) out.push_back(c * p.jump);
  out.push_back(p.n);
  return out;
}

// One segment's best split, ruptures' Binseg.single_bkp: candidates start + k * jump with
// both parts at least min_size long, the largest gain, ties to the largest position; none
// (t = -1, gain 0) when no candidate fits.
struct Split {
  int t = -1;
  double gain = 0.0;
};
template <class Cost>
Split best_split(const Cost& cost, const RupturesProblem& p, int a, int b) {
  const double whole = cost(a, b);
  if (std::isinf(whole) && whole < 0) return {};
  Split best;
  for (int t = a; t < b; t += p.jump) {
    if (t - a < p.min_size || b - t < p.min_size) continue;
    const double g = whole - cost(a, t) - cost(t, b);
    if (best.t < 0 || g > best.gain || (g == best.gain && t > best.t)) best = {t, g};
  }
  return best;
}

template <class Cost>
double sum_of_costs(const Cost& cost, const std::vector<int>& bkps) {
  double total = 0.0;
  int a = 0;
  for (int b : bkps) {
    total += cost(a, b);
    a = b;
  }
  return total;
}

}  // namespace

std::vector<int> ruptures_pelt(const RupturesProblem& p, double pen) {
  return with_cost(p, [&](const auto& cost) {
    const GridCost<std::decay_t<decltype(cost)>> grid{cost, p.jump, p.n, p.min_size};
    const int g = cells(p);
    const std::size_t g1 = static_cast<std::size_t>(g) + 1;
    std::vector<double> F(g1), vals(g1);
    std::vector<int> last(g1), cand(g1), kill_at(g1), changes(g1);
    // Pruning (PELT) on the plain grid; with a short last cell the infeasible last segments
    // void PELT's pruning argument, so the grid is searched exhaustively (OP).
    const bool prune = p.jump == 1;
    const int k = kernels::optimal_partitioning(
        grid, g, pen, cell_min_size(p), prune,
        kernels::PeltWorkspace{F.data(), last.data(), cand.data(), kill_at.data(), vals.data()}, changes.data());
    return to_bkps(std::vector<int>(changes.begin(), changes.begin() + k), p);
  });
}

std::vector<int> ruptures_dynp(const RupturesProblem& p, int n_bkps) {
  return with_cost(p, [&](const auto& cost) {
    const GridCost<std::decay_t<decltype(cost)>> grid{cost, p.jump, p.n, p.min_size};
    const int g = cells(p);
    const std::size_t size = (static_cast<std::size_t>(g) + 1) * (static_cast<std::size_t>(n_bkps) + 1);
    std::vector<double> G(size), cost_k(static_cast<std::size_t>(n_bkps) + 1);
    std::vector<int> bp(size), changes_k((static_cast<std::size_t>(n_bkps) + 1) * std::max(n_bkps, 1));
    kernels::segment_neighbourhood(grid, g, n_bkps, cell_min_size(p), kernels::SegNeighWorkspace{G.data(), bp.data()},
                                   cost_k.data(), changes_k.data());
    TURNPOINT_EXPECTS(cost_k[static_cast<std::size_t>(n_bkps)] < kernels::inf(),
                      "no segmentation with {} breakpoints (n {}, min_size {}, jump {})", n_bkps, p.n,
                      p.min_size, p.jump);
    const int* row = changes_k.data() + static_cast<std::size_t>(n_bkps) * std::max(n_bkps, 1);
    return to_bkps(std::vector<int>(row, row + n_bkps), p);
  });
}

std::vector<int> ruptures_binseg(const RupturesProblem& p, int n_bkps, double pen, double epsilon) {
  return with_cost(p, [&](const auto& cost) {
    std::vector<int> bkps{p.n};
    std::vector<Split> best{best_split(cost, p, 0, p.n)};  // one per segment, left to right
    for (;;) {
      // ruptures: max over the segments by gain, the first of equals, a segment that cannot
      // be split counting as gain 0 and ending the search when chosen.
      std::size_t pick = 0;
      for (std::size_t i = 1; i < best.size(); ++i)
        if (best[i].gain > best[pick].gain) pick = i;
      const Split s = best[pick];
      if (s.t < 0) break;
      const bool more = n_bkps >= 0         ? static_cast<int>(bkps.size()) - 1 < n_bkps
                        : !std::isnan(pen) ? s.gain > pen
                                           : sum_of_costs(cost, bkps) > epsilon;
      if (!more) break;
      const int a = pick == 0 ? 0 : bkps[pick - 1];
      const int b = bkps[pick];
      bkps.insert(bkps.begin() + static_cast<std::ptrdiff_t>(pick), s.t);
      best[pick] = best_split(cost, p, a, s.t);
      best.insert(best.begin() + static_cast<std::ptrdiff_t>(pick) + 1, best_split(cost, p, s.t, b));
    }
    return bkps;
  });
}

double ruptures_sum_of_costs(const RupturesProblem& p, const std::vector<int>& bkps) {
  return with_cost(p, [&](const auto& cost) { return sum_of_costs(cost, bkps); });
}

}  // namespace turnpoint::python
