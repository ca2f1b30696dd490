// Every search with every cost against exhaustive references on hundreds of small random
// series (same turning points, costs within 1e-9 relative); PELT == OP on longer series;
// the cost functors against direct two-pass / least-squares computations.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/binseg.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/pelt.hpp"
#include "kernels/segmentation.hpp"
#include "kernels/segneigh.hpp"
#include "reference.hpp"

namespace tk = turnpoint::kernels;
namespace tt = turnpoint::testing;

namespace {

struct Case {
  const char* name;
  tk::CostId id;
  bool mbic;
};

const Case kCases[] = {
    {"mean", tk::CostId::mean, false},       {"mean+mbic", tk::CostId::mean, true},
    {"meanvar", tk::CostId::meanvar, false}, {"meanvar+mbic", tk::CostId::meanvar, true},
    {"poisson", tk::CostId::poisson, false}, {"poisson+mbic", tk::CostId::poisson, true},
    {"regression", tk::CostId::regression, false},
    {"regression+mbic", tk::CostId::regression, true},
};

// A series, its prefix sums, and the direct reference cost, for one cost choice.
struct Prepared {
  std::vector<double> x;
  std::vector<std::int32_t> days;
  std::vector<double> hi, lo;
  tk::CostParams cp;
  tk::PrefixView view() const { return {hi.data(), lo.data(), cp.n + 1}; }

  Prepared(const Case& c, std::vector<double> values, int weekly = 1, bool trend = true)
      : x(std::move(values)) {
    const int n = static_cast<int>(x.size());
    days.resize(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) days[i] = 18000 + i;  // 2019-04-14 onwards
    cp.id = c.id;
    cp.mbic = c.mbic;
    cp.n = n;
    cp.inv_var = 1.0 / 0.7;  // any sigma^2: the reference applies the same one
    cp.var_floor = 1e-6;
    cp.basis.trend = trend;
    cp.basis.weekly = weekly;
    cp.basis.days = days.data();
    const int ns = tk::stats_count(cp);
    hi.assign(static_cast<size_t>(ns) * (n + 1), 0.0);
    lo = hi;
    std::vector<double> tmp(static_cast<size_t>(ns));
    tk::fill_prefix(cp, x.data(), hi.data(), lo.data(), tmp.data());
  }

  double direct(int a, int b) const {
    double v = 0.0;
    switch (cp.id) {
      case tk::CostId::mean: v = tt::direct_l2(x, a, b) * cp.inv_var; break;
      case tk::CostId::meanvar: v = tt::direct_meanvar(x, a, b, cp.var_floor); break;
      case tk::CostId::poisson: v = tt::direct_poisson(x, a, b); break;
      case tk::CostId::regression:
        v = tt::direct_regression(x, a, b, cp.basis, cp.n) * cp.inv_var;
        break;
    }
    return cp.mbic ? v + std::log(static_cast<double>(b - a)) : v;
  }

  int min_size(int m) const {
    if (cp.id == tk::CostId::meanvar) return std::max(m, 2);
    if (cp.id == tk::CostId::regression) return std::max(m, cp.basis.columns());
    return m;
  }
};

std::vector<double> random_series(std::mt19937_64& rng, int n, bool positive, double nan_rate) {
  std::normal_distribution<double> noise(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> x(static_cast<size_t>(n));
  double level = positive ? 5.0 : 0.0;
  for (int i = 0; i < n; ++i) {
    if (u(rng) < 0.15) level = positive ? 1.0 + 9.0 * u(rng) : 4.0 * noise(rng);
    double v = level + noise(rng) * (0.5 + u(rng));
    // Positive and continuous: integer counts would make exact ties between
    // segmentations, where "the same turning points" is not defined.
    if (positive) v = std::fabs(v) + 0.01 + 0.1 * u(rng);
    x[i] = v;
  }
  for (int i = 0; i < n; ++i)
    if (u(rng) < nan_rate) x[i] = std::nan("");
  return x;
}

// Runs fn(cost) with the engine's functor for `p`.
template <class F>
void with(const Prepared& p, F&& fn) {
  tk::with_cost(p.cp, p.view(), fn);
}

}  // namespace

TEST(Costs, FunctorsMatchDirectComputation) {
  std::mt19937_64 rng(1);
  for (const Case& c : kCases) {
    for (int rep = 0; rep < 20; ++rep) {
      const int n = 5 + static_cast<int>(rng() % 60);
      Prepared p(c, random_series(rng, n, c.id == tk::CostId::poisson, rep % 3 == 0 ? 0.1 : 0.0));
      with(p, [&](const auto& cost) {
        for (int a = 0; a < n; ++a)
          for (int b = a + 1; b <= n; ++b) {
            const double ref = p.direct(a, b);
            double scale = 1.0;
            if (c.id == tk::CostId::regression)  // RSS cancels against y'y: relative to it
              for (int i = a; i < b; ++i)
                if (!std::isnan(p.x[i])) scale += p.x[i] * p.x[i] * p.cp.inv_var;
            ASSERT_NEAR(cost(a, b), ref, 1e-9 * std::max(scale, std::fabs(ref)))
                << c.name << " n=" << n << " [" << a << "," << b << ")";
          }
      });
    }
  }
}

TEST(Solvers, OptimalPartitioningAndPeltMatchBruteForce) {
  std::mt19937_64 rng(2);
  int checked = 0;
  for (const Case& c : kCases) {
    for (int rep = 0; rep < 60; ++rep) {
      const bool reg = c.id == tk::CostId::regression;
      const int n = 1 + static_cast<int>(rng() % (reg ? 16 : 12));
      const int m0 = 1 + static_cast<int>(rng() % 3);
      const double pen = std::uniform_real_distribution<double>(0.0, 6.0)(rng);
      // No missing days with the regression cost here: a segment with fewer valid days
      // than columns fits exactly (RSS 0), so segmentations tie. Costs with NaN are
      // checked in Costs.FunctorsMatchDirectComputation.
      Prepared p(c, random_series(rng, n, c.id == tk::CostId::poisson,
                                  !reg && rep % 4 == 0 ? 0.15 : 0.0),
                 reg ? 1 : 0, true);
      const int m = p.min_size(m0);
      tt::SegCost direct = [&](int a, int b) { return p.direct(a, b); };
      const tt::Segmentation ref = tt::brute_penalised(direct, n, m, pen);
      for (bool prune : {false, true}) {
        with(p, [&](const auto& cost) {
          std::vector<double> F(n + 1), vals(n + 1);
          std::vector<int> last(n + 1), cand(n + 1), kill(n + 1), ch(n + 1);
          const int k = tk::optimal_partitioning(
              cost, n, pen, m, prune,
              tk::PeltWorkspace{F.data(), last.data(), cand.data(), kill.data(), vals.data()},
              ch.data());
          std::vector<int> got(ch.begin(), ch.begin() + k);
          ASSERT_EQ(got, ref.changes) << c.name << (prune ? " pelt" : " op") << " n=" << n
                                      << " m=" << m << " pen=" << pen;
          ASSERT_TRUE(tt::close_rel(tk::segmentation_cost(cost, n, ch.data(), k), ref.cost, 1e-9));
        });
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 800);
}

TEST(Solvers, PeltEqualsOpOnLongerSeries) {
  std::mt19937_64 rng(3);
  for (const Case& c : kCases) {
    for (int rep = 0; rep < 12; ++rep) {
      const int n = 100 + static_cast<int>(rng() % 400);
      const int m = 1 + static_cast<int>(rng() % 8);
      const double pen = std::uniform_real_distribution<double>(1.0, 30.0)(rng);
      Prepared p(c, random_series(rng, n, c.id == tk::CostId::poisson, rep % 3 == 0 ? 0.05 : 0.0),
                 c.id == tk::CostId::regression ? 1 : 0);
      std::vector<int> res[2];
      with(p, [&](const auto& cost) {
        for (int prune = 0; prune < 2; ++prune) {
          std::vector<double> F(n + 1), vals(n + 1);
          std::vector<int> last(n + 1), cand(n + 1), kill(n + 1), ch(n + 1);
          const int k = tk::optimal_partitioning(
              cost, n, pen, p.min_size(m), prune != 0,
              tk::PeltWorkspace{F.data(), last.data(), cand.data(), kill.data(), vals.data()},
              ch.data());
          res[prune].assign(ch.begin(), ch.begin() + k);
        }
      });
      ASSERT_EQ(res[0], res[1]) << c.name << " n=" << n << " m=" << m << " pen=" << pen;
    }
  }
}

TEST(Solvers, SegmentNeighbourhoodMatchesExhaustiveForEveryK) {
  std::mt19937_64 rng(4);
  for (const Case& c : kCases) {
    for (int rep = 0; rep < 40; ++rep) {
      const bool reg = c.id == tk::CostId::regression;
      const int n = 1 + static_cast<int>(rng() % (reg ? 16 : 12));
      const int m0 = 1 + static_cast<int>(rng() % 3);
      const int kmax = 1 + static_cast<int>(rng() % 5);
      Prepared p(c, random_series(rng, n, c.id == tk::CostId::poisson, 0.0), reg ? 1 : 0);
      const int m = p.min_size(m0);
      tt::SegCost direct = [&](int a, int b) { return p.direct(a, b); };
      with(p, [&](const auto& cost) {
        std::vector<double> G((kmax + 1) * (n + 1)), ck(kmax + 1);
        std::vector<int> bp((kmax + 1) * (n + 1)), rows((kmax + 1) * kmax);
        tk::segment_neighbourhood(cost, n, kmax, m, tk::SegNeighWorkspace{G.data(), bp.data()},
                                  ck.data(), rows.data());
        for (int k = 0; k <= kmax; ++k) {
          const tt::Segmentation ref = tt::brute_exact_k(direct, n, m, k);
          ASSERT_TRUE(tt::close_rel(ck[k], ref.cost, 1e-9))
              << c.name << " n=" << n << " m=" << m << " K=" << k << " got " << ck[k]
              << " want " << ref.cost;
          if (std::isinf(ref.cost)) continue;
          std::vector<int> got(rows.begin() + k * kmax, rows.begin() + k * kmax + k);
          ASSERT_EQ(got, ref.changes) << c.name << " n=" << n << " m=" << m << " K=" << k;
        }
      });
    }
  }
}

TEST(Solvers, BinarySegmentationMatchesNaiveGreedy) {
  std::mt19937_64 rng(5);
  for (const Case& c : kCases) {
    for (int rep = 0; rep < 40; ++rep) {
      const bool reg = c.id == tk::CostId::regression;
      const int n = 2 + static_cast<int>(rng() % 60);
      const int m0 = 1 + static_cast<int>(rng() % 4);
      const int kmax = 1 + static_cast<int>(rng() % 6);
      const double pen = rep % 2 ? -1.0 : std::uniform_real_distribution<double>(0.0, 8.0)(rng);
      Prepared p(c, random_series(rng, n, c.id == tk::CostId::poisson, 0.0), reg ? 1 : 0);
      const int m = p.min_size(m0);
      tt::SegCost direct = [&](int a, int b) { return p.direct(a, b); };
      const std::vector<int> ref = tt::naive_binseg(direct, n, m, kmax, pen);
      with(p, [&](const auto& cost) {
        std::vector<int> sa(kmax + 1), sb(kmax + 1), bt(kmax + 1), order(kmax + 1);
        std::vector<double> bg(kmax + 1), gains(kmax + 1);
        const int k = tk::binary_segmentation(
            cost, n, kmax, pen, m, tk::BinSegWorkspace{sa.data(), sb.data(), bt.data(), bg.data()},
            order.data(), gains.data());
        std::vector<int> got(order.begin(), order.begin() + k);
        ASSERT_EQ(got, ref) << c.name << " n=" << n << " m=" << m << " K=" << kmax << " pen=" << pen;
      });
    }
  }
}
