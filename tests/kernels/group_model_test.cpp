// The warp- and block-parallel solvers of the CUDA backend (kernels/pelt_group.hpp,
// op_group.hpp, segneigh_group.hpp, binseg_group.hpp), run on the CPU through the host model
// of a thread group (kernels/group_model.hpp), against the serial solvers that the CPU
// backend runs: the same turning points to the index and the same DP tables to the bit, on
// thousands of random series of every cost, with and without MBIC, of lengths up to 1,461
// days, with missing (NaN) days, and with integer-valued series whose many exact ties test
// the tie rules. Each series runs with the group's threads visited in ascending, descending
// or shuffled order: a phase that read what another thread wrote in the same phase (a race
// on the GPU) would give different answers for different orders.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernels/binseg.hpp"
#include "kernels/binseg_group.hpp"
#include "kernels/cost_at_end.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/group_model.hpp"
#include "kernels/op_group.hpp"
#include "kernels/pelt.hpp"
#include "kernels/pelt_group.hpp"
#include "kernels/segneigh.hpp"
#include "kernels/segneigh_group.hpp"

namespace tk = turnpoint::kernels;

namespace {

struct Variant {
  tk::CostId id;
  bool mbic;
};
const Variant kVariants[] = {{tk::CostId::mean, false},    {tk::CostId::mean, true},
                             {tk::CostId::meanvar, false}, {tk::CostId::meanvar, true},
                             {tk::CostId::poisson, false}, {tk::CostId::poisson, true},
                             {tk::CostId::regression, false}, {tk::CostId::regression, true}};

std::string name(const Variant& v) {
  const char* names[] = {"mean", "meanvar", "poisson", "regression"};
  return std::string(names[static_cast<int>(v.id)]) + (v.mbic ? "+mbic" : "");
}

// One series with its prefix sums and tables, built as the CPU backend builds them
// (kernels/detect_cpu.cpp): log(len) table with MBIC, 1/len table only with no missing day.
struct Series {
  int n = 0;
  std::vector<double> x, hi, lo, log_len, inv_len;
  std::vector<std::int32_t> days;
  tk::CostParams cp;

  Series(const Variant& v, std::vector<double> values) : n(static_cast<int>(values.size())), x(std::move(values)) {
    days.resize(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) days[i] = 17897 + i;
    cp.id = v.id;
    cp.mbic = v.mbic;
    cp.n = n;
    cp.inv_var = 1.0 / 0.8;
    cp.var_floor = 1e-6;
    cp.basis.trend = true;
    cp.basis.weekly = 1;
    cp.basis.days = days.data();
    log_len.resize(static_cast<size_t>(n) + 1);
    for (int i = 0; i <= n; ++i) log_len[i] = std::log(static_cast<double>(i));
    if (v.mbic) cp.log_len = log_len.data();
    bool full = true;
    for (double e : x) full = full && !std::isnan(e);
    if (full) {
      inv_len.resize(static_cast<size_t>(n) + 1);
      inv_len[0] = 0.0;
      for (int i = 1; i <= n; ++i) inv_len[i] = 1.0 / i;
      cp.inv_len = inv_len.data();
    }
    const int ns = tk::stats_count(cp);
    hi.assign(static_cast<size_t>(ns) * (n + 1), 0.0);
    lo = hi;
    std::vector<double> tmp(static_cast<size_t>(ns));
    tk::fill_prefix(cp, x.data(), hi.data(), lo.data(), tmp.data());
  }
  tk::PrefixView view() const { return {hi.data(), lo.data(), n + 1}; }
  int min_size(int m) const {
    if (cp.id == tk::CostId::meanvar) return std::max(m, 2);
    if (cp.id == tk::CostId::regression) return std::max(m, cp.basis.columns());
    return m;
  }
};

// Piecewise series: continuous noise, or small integers (exact ties between candidates are
// then common); with a share of missing days; positive for the Poisson cost.
std::vector<double> random_series(std::mt19937_64& rng, int n, tk::CostId id, bool integers,
                                  double nan_rate) {
  std::normal_distribution<double> noise(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> x(static_cast<size_t>(n));
  double level = 5.0;
  for (int i = 0; i < n; ++i) {
    if (u(rng) < 0.01) level = 1.0 + 9.0 * u(rng);
    double v = level + noise(rng) * (0.5 + u(rng));
    if (integers) v = static_cast<double>(static_cast<int>(rng() % 3));
    if (id == tk::CostId::poisson) v = std::fabs(v);
    x[i] = v;
  }
  for (int i = 0; i < n; ++i)
    if (u(rng) < nan_rate) x[i] = std::nan("");
  return x;
}

// Lengths: mostly short and mixed, some at the real panel's 1,461 days.
int random_length(std::mt19937_64& rng, int rep, int max_short, bool allow_long) {
  if (allow_long && rep % 25 == 0) return 1461;
  return 1 + static_cast<int>(rng() % static_cast<unsigned>(max_short));
}

// Bitwise equality (NaN == NaN, +0 != -0): the tables must be the very same numbers.
bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

struct Counts {
  int series = 0, long_series = 0, changes = 0;
};

// ---- PELT and OP on one warp ---------------------------------------------------------

void check_pelt(const Series& p, int m, double pen, bool prune, std::uint64_t order,
                const std::string& what, Counts& counts) {
  const int n = p.n;
  const size_t n1 = static_cast<size_t>(n) + 1;
  tk::with_cost(p.cp, p.view(), [&](const auto& cost) {
    std::vector<double> F(n1), vals(n1);
    std::vector<int> last(n1), cand(n1), kill(n1), ch(n1);
    const int k = tk::optimal_partitioning(
        cost, n, pen, m, prune,
        tk::PeltWorkspace{F.data(), last.data(), cand.data(), kill.data(), vals.data()}, ch.data());

    // The store: a small fast part (so that long series overflow into the slow part).
    const int cap = 40;
    std::vector<int> ft(cap), fk(cap), st(n1), sk(n1);
    std::vector<double> ff(cap), fv(cap), sf(n1), sv(n1);
    const tk::CandStore store{{ft.data(), ff.data(), fk.data(), fv.data()}, cap,
                              {st.data(), sf.data(), sk.data(), sv.data()}};
    std::vector<double> F2(n1, -7.0);
    std::vector<int> last2(n1, -7), ch2(n1, -7);
    const tk::HostGroup<32> g(order);
    const int k2 = tk::pelt_group(g, cost, n, pen, m, prune, store, F2.data(), last2.data(), ch2.data());

    ASSERT_EQ(k2, k) << what;
    for (int j = 0; j < k; ++j) ASSERT_EQ(ch2[j], ch[j]) << what << " change " << j;
    if (n >= 2 * std::max(m, 1))
      for (int s = 0; s <= n; ++s) {
        if (s > 0 && s < m) continue;  // never written by either
        ASSERT_TRUE(same(F2[s], F[s])) << what << " F[" << s << "] " << F2[s] << " vs " << F[s];
        ASSERT_EQ(last2[s], last[s]) << what << " last[" << s << "]";
      }
    counts.changes += k;
  });
  ++counts.series;
  if (n >= 1000) ++counts.long_series;
}

void check_op_block(const Series& p, int m, double pen, std::uint64_t order, const std::string& what,
                    Counts& counts) {
  const int n = p.n;
  const size_t n1 = static_cast<size_t>(n) + 1;
  tk::with_cost(p.cp, p.view(), [&](const auto& cost) {
    std::vector<double> F(n1), vals(n1);
    std::vector<int> last(n1), cand(n1), kill(n1), ch(n1);
    const int k = tk::optimal_partitioning(
        cost, n, pen, m, false,
        tk::PeltWorkspace{F.data(), last.data(), cand.data(), kill.data(), vals.data()}, ch.data());
    std::vector<double> F2(n1, -7.0), sv(4);
    std::vector<int> last2(n1, -7), ch2(n1, -7), st(4);
    const tk::HostGroup<128> g(order);
    const int k2 = tk::op_group(g, cost, n, pen, m, F2.data(), last2.data(), sv.data(), st.data(), ch2.data());
    ASSERT_EQ(k2, k) << what;
    for (int j = 0; j < k; ++j) ASSERT_EQ(ch2[j], ch[j]) << what << " change " << j;
    if (n >= 2 * m)
      for (int s = m; s <= n; ++s) {
        ASSERT_TRUE(same(F2[s], F[s])) << what << " F[" << s << "]";
        ASSERT_EQ(last2[s], last[s]) << what << " last[" << s << "]";
      }
    counts.changes += k;
  });
  ++counts.series;
  if (n >= 1000) ++counts.long_series;
}

TEST(GroupModel, PeltWarpMatchesSerialPelt) {
  std::mt19937_64 rng(16);
  Counts counts;
  for (const Variant& v : kVariants) {
    const bool reg = v.id == tk::CostId::regression;
    for (int rep = 0; rep < (reg ? 150 : 300); ++rep) {
      const int n = random_length(rng, rep, reg ? 250 : 400, true);
      const bool ints = rep % 5 == 1;
      const double nan_rate = rep % 3 == 0 ? 0.05 : 0.0;
      const Series p(v, random_series(rng, n, v.id, ints, nan_rate));
      const int m = p.min_size(1 + static_cast<int>(rng() % 4));
      const double pen = rep % 2 ? 3.0 * std::log(std::max(n, 2)) : 0.5 + 5.0 * static_cast<double>(rng() % 100) / 100.0;
      const std::string what = name(v) + " n=" + std::to_string(n) + " m=" + std::to_string(m) +
                               " pen=" + std::to_string(pen) + " rep=" + std::to_string(rep);
      check_pelt(p, m, pen, true, rep % 7, what, counts);
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_GE(counts.series, 2000);
  EXPECT_GE(counts.long_series, 70);
  EXPECT_GT(counts.changes, 5000);
}

TEST(GroupModel, OpWarpAndBlockMatchSerialOp) {
  std::mt19937_64 rng(17);
  Counts counts;
  for (const Variant& v : kVariants) {
    const bool reg = v.id == tk::CostId::regression;
    for (int rep = 0; rep < (reg ? 40 : 80); ++rep) {
      // OP is O(n^2): the 1,461-day series only for the cheap costs.
      const int n = random_length(rng, rep, reg ? 150 : 300, !reg);
      const Series p(v, random_series(rng, n, v.id, rep % 5 == 1, rep % 3 == 0 ? 0.05 : 0.0));
      const int m = p.min_size(1 + static_cast<int>(rng() % 4));
      const double pen = 0.5 + 20.0 * static_cast<double>(rng() % 100) / 100.0;
      const std::string what = name(v) + " n=" + std::to_string(n) + " m=" + std::to_string(m) +
                               " rep=" + std::to_string(rep);
      check_pelt(p, m, pen, false, rep % 5, what + " (warp)", counts);
      check_op_block(p, m, pen, 2 + rep, what + " (block)", counts);
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_GE(counts.series, 1000);
  EXPECT_GE(counts.long_series, 20);
}

// ---- segment neighbourhood on one block ----------------------------------------------

template <int N>
void check_segneigh(const Series& p, int m, int kmax, std::uint64_t order, const std::string& what,
                    Counts& counts) {
  const int n = p.n;
  const size_t cells = static_cast<size_t>(kmax + 1) * (n + 1);
  const size_t rows = static_cast<size_t>(kmax + 1) * std::max(kmax, 1);
  tk::with_cost(p.cp, p.view(), [&](const auto& cost) {
    std::vector<double> G(cells), ck(kmax + 1);
    std::vector<int> bp(cells), ch(rows);
    tk::segment_neighbourhood(cost, n, kmax, m, {G.data(), bp.data()}, ck.data(), ch.data());
    std::vector<double> G2(cells, -7.0), ck2(kmax + 1, -7.0), bv(static_cast<size_t>(kmax) * N + 1), tri(32);
    std::vector<int> bp2(cells, -7), ch2(rows, -7), bt(static_cast<size_t>(kmax) * N + 1);
    const tk::HostGroup<N> g(order);
    tk::segneigh_group(g, cost, n, kmax, m, {G2.data(), bp2.data()}, {bv.data(), bt.data(), tri.data()},
                       ck2.data(), ch2.data());
    for (size_t c = 0; c < cells; ++c) {
      ASSERT_TRUE(same(G2[c], G[c])) << what << " G cell " << c << ": " << G2[c] << " vs " << G[c];
      ASSERT_EQ(bp2[c], bp[c]) << what << " bp cell " << c;
    }
    for (int k = 0; k <= kmax; ++k) {
      ASSERT_TRUE(same(ck2[k], ck[k])) << what << " K=" << k;
      for (int j = 0; j < k; ++j) ASSERT_EQ(ch2[k * std::max(kmax, 1) + j], ch[k * std::max(kmax, 1) + j]) << what;
      if (ck[k] < tk::inf()) counts.changes += k;
    }
  });
  ++counts.series;
  if (n >= 1000) ++counts.long_series;
}

TEST(GroupModel, SegNeighBlockMatchesSerial) {
  std::mt19937_64 rng(18);
  Counts counts;
  for (const Variant& v : kVariants) {
    const bool reg = v.id == tk::CostId::regression;
    for (int rep = 0; rep < (reg ? 30 : 60); ++rep) {
      const int n = random_length(rng, rep, reg ? 120 : 250, !reg && v.mbic);
      const Series p(v, random_series(rng, n, v.id, rep % 5 == 1, rep % 3 == 0 ? 0.05 : 0.0));
      const int m = p.min_size(1 + static_cast<int>(rng() % 4));
      const int kmax = static_cast<int>(rng() % 12);  // 0 included; > 32 below
      const std::string what = name(v) + " n=" + std::to_string(n) + " m=" + std::to_string(m) +
                               " K=" + std::to_string(kmax) + " rep=" + std::to_string(rep);
      if (rep % 2)
        check_segneigh<64>(p, m, kmax, rep % 9, what + " (2 warps)", counts);
      else
        check_segneigh<256>(p, m, kmax, rep % 9, what + " (8 warps)", counts);
      if (HasFatalFailure()) return;
    }
  }
  // More K than threads of a warp: the per-k loop strides.
  const Series p(kVariants[0], random_series(rng, 200, tk::CostId::mean, false, 0.02));
  check_segneigh<32>(p, 1, 40, 3, "mean n=200 K=40 (1 warp)", counts);
  EXPECT_GE(counts.series, 400);
  EXPECT_GE(counts.long_series, 4);
}

// ---- binary segmentation on one warp -------------------------------------------------

TEST(GroupModel, BinsegWarpMatchesSerial) {
  std::mt19937_64 rng(19);
  Counts counts;
  for (const Variant& v : kVariants) {
    const bool reg = v.id == tk::CostId::regression;
    for (int rep = 0; rep < (reg ? 150 : 300); ++rep) {
      const int n = random_length(rng, rep, reg ? 250 : 400, true);
      const Series p(v, random_series(rng, n, v.id, rep % 5 == 1, rep % 3 == 0 ? 0.05 : 0.0));
      const int m = p.min_size(1 + static_cast<int>(rng() % 4));
      const int kmax = static_cast<int>(rng() % 15);
      const double pen = rep % 2 ? -1.0 : 5.0 * static_cast<double>(rng() % 100) / 100.0;
      const std::string what = name(v) + " n=" + std::to_string(n) + " m=" + std::to_string(m) +
                               " K=" + std::to_string(kmax) + " rep=" + std::to_string(rep);
      tk::with_cost(p.cp, p.view(), [&](const auto& cost) {
        const size_t k1 = static_cast<size_t>(kmax) + 1;
        std::vector<int> sa(k1), sb(k1), bt(k1), order(k1);
        std::vector<double> bg(k1), gains(k1);
        const int k = tk::binary_segmentation(cost, n, kmax, pen, m,
                                              {sa.data(), sb.data(), bt.data(), bg.data()},
                                              order.data(), gains.data());
        std::vector<int> sa2(k1, -7), sb2(k1, -7), bt2(k1, -7), order2(k1, -7);
        std::vector<double> bg2(k1, -7.0), gains2(k1, -7.0);
        const tk::HostGroup<32> g(rep % 11);
        const int k2 = tk::binseg_group(g, cost, n, kmax, pen, m,
                                        {sa2.data(), sb2.data(), bt2.data(), bg2.data()},
                                        order2.data(), gains2.data());
        ASSERT_EQ(k2, k) << what;
        for (int j = 0; j < k; ++j) {
          ASSERT_EQ(order2[j], order[j]) << what << " change " << j;
          ASSERT_TRUE(same(gains2[j], gains[j])) << what << " gain " << j;
        }
        for (int i = 0; i <= k; ++i) {  // the open segments and their best splits
          ASSERT_EQ(sa2[i], sa[i]) << what;
          ASSERT_EQ(sb2[i], sb[i]) << what;
          ASSERT_EQ(bt2[i], bt[i]) << what << " best_t " << i;
          ASSERT_TRUE(same(bg2[i], bg[i])) << what << " best_g " << i;
        }
        counts.changes += k;
      });
      ++counts.series;
      if (n >= 1000) ++counts.long_series;
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_GE(counts.series, 2000);
  EXPECT_GE(counts.long_series, 70);
  EXPECT_GT(counts.changes, 5000);
}

// ---- exact ties everywhere ---------------------------------------------------------------

// A cost whose values are small integers hashed from (a, b): most candidates tie exactly with
// others (also 32 apart, in the same lane), so only the tie rules decide the answers.
struct TieCost {
  unsigned salt = 0;
  double operator()(int a, int b) const {
    unsigned h = static_cast<unsigned>(a) * 2654435761u ^ static_cast<unsigned>(b) * 40503u ^ salt;
    h ^= h >> 13;
    h *= 0x5bd1e995u;
    h ^= h >> 15;
    return static_cast<double>(h % 4);
  }
  double prune_slack(int, int) const { return 0.0; }
};

TEST(GroupModel, TieRulesOnCostsWithExactTies) {
  std::mt19937_64 rng(20);
  int checked = 0;
  for (int rep = 0; rep < 120; ++rep) {
    const TieCost cost{static_cast<unsigned>(rng())};
    const int n = 1 + static_cast<int>(rng() % 300);
    const int m = 1 + static_cast<int>(rng() % 3);
    const double pen = static_cast<double>(rng() % 3);  // integer: ties between segmentations
    const size_t n1 = static_cast<size_t>(n) + 1;
    const std::string what = "ties n=" + std::to_string(n) + " m=" + std::to_string(m) +
                             " rep=" + std::to_string(rep);
    for (bool prune : {true, false}) {
      std::vector<double> F(n1), vals(n1);
      std::vector<int> last(n1), cand(n1), kill(n1), ch(n1);
      const int k = tk::optimal_partitioning(
          cost, n, pen, m, prune,
          tk::PeltWorkspace{F.data(), last.data(), cand.data(), kill.data(), vals.data()}, ch.data());
      std::vector<int> ft(8), fk(8), st(n1), sk(n1), last2(n1, -7), ch2(n1, -7);
      std::vector<double> ff(8), fv(8), sf(n1), sv(n1), F2(n1, -7.0);
      const int k2 = tk::pelt_group(tk::HostGroup<32>(rep), cost, n, pen, m, prune,
                                    tk::CandStore{{ft.data(), ff.data(), fk.data(), fv.data()}, 8,
                                                  {st.data(), sf.data(), sk.data(), sv.data()}},
                                    F2.data(), last2.data(), ch2.data());
      ASSERT_EQ(k2, k) << what;
      for (int s = m; n >= 2 * m && s <= n; ++s) ASSERT_EQ(last2[s], last[s]) << what << " s=" << s;
      if (!prune) {
        std::vector<double> sv4(4), F3(n1, -7.0);
        std::vector<int> st4(4), last3(n1, -7), ch3(n1, -7);
        const int k3 = tk::op_group(tk::HostGroup<128>(rep + 1), cost, n, pen, m, F3.data(),
                                    last3.data(), sv4.data(), st4.data(), ch3.data());
        ASSERT_EQ(k3, k) << what;
        for (int s = m; n >= 2 * m && s <= n; ++s) ASSERT_EQ(last3[s], last[s]) << what << " s=" << s;
      }
    }
    const int kmax = static_cast<int>(rng() % 8);
    const size_t cells = static_cast<size_t>(kmax + 1) * n1, rows = static_cast<size_t>(kmax + 1) * std::max(kmax, 1);
    std::vector<double> G(cells), ck(kmax + 1), G2(cells), ck2(kmax + 1), bv(static_cast<size_t>(kmax) * 64 + 1), tri(32);
    std::vector<int> bp(cells), chk(rows), bp2(cells), chk2(rows), bt(static_cast<size_t>(kmax) * 64 + 1);
    tk::segment_neighbourhood(cost, n, kmax, m, {G.data(), bp.data()}, ck.data(), chk.data());
    tk::segneigh_group(tk::HostGroup<64>(rep), cost, n, kmax, m, {G2.data(), bp2.data()},
                       {bv.data(), bt.data(), tri.data()}, ck2.data(), chk2.data());
    ASSERT_EQ(bp2, bp) << what << " K=" << kmax;
    const size_t k1 = static_cast<size_t>(kmax) + 1;
    std::vector<int> sa(k1), sb(k1), bts(k1), order(k1), sa2(k1), sb2(k1), bts2(k1), order2(k1);
    std::vector<double> bg(k1), gains(k1), bg2(k1), gains2(k1);
    const int kb = tk::binary_segmentation(cost, n, kmax, pen - 1.0, m, {sa.data(), sb.data(), bts.data(), bg.data()},
                                           order.data(), gains.data());
    const int kb2 = tk::binseg_group(tk::HostGroup<32>(rep), cost, n, kmax, pen - 1.0, m,
                                     {sa2.data(), sb2.data(), bts2.data(), bg2.data()}, order2.data(), gains2.data());
    ASSERT_EQ(kb2, kb) << what;
    for (int j = 0; j < kb; ++j) ASSERT_EQ(order2[j], order[j]) << what << " binseg " << j;
    ++checked;
  }
  EXPECT_EQ(checked, 120);
}

// ---- the cost with its end fixed -------------------------------------------------------

// at_end(cost, s)(t, s), the form the GPU solvers evaluate, is cost(t, s) to the bit for every
// cost, with and without MBIC and missing days.
TEST(GroupModel, CostAtEndIsTheCostToTheBit) {
  std::mt19937_64 rng(22);
  long checked = 0;
  for (const Variant& v : kVariants) {
    for (int rep = 0; rep < 6; ++rep) {
      const int n = 50 + static_cast<int>(rng() % 200);
      const Series p(v, random_series(rng, n, v.id, rep == 1, rep % 2 ? 0.1 : 0.0));
      tk::with_cost(p.cp, p.view(), [&](const auto& cost) {
        for (int s = 1; s <= n; ++s) {
          const auto cs = tk::at_end(cost, s);
          for (int t = 0; t < s; ++t) {
            ASSERT_TRUE(same(cs(t, s), cost(t, s))) << name(v) << " C(" << t << "," << s << ")";
            ++checked;
          }
        }
      });
    }
  }
  EXPECT_GT(checked, 100000);
}

// ---- the tables the GPU reads ----------------------------------------------------------

// The CUDA backend uploads the regression basis as rows computed on the host (basis_table)
// instead of calling the device's sin/cos: the prefix sums built from the rows must be the
// CPU backend's, bit for bit, with every kind of column.
TEST(GroupModel, BasisRowsTableGivesTheCpuPrefixSums) {
  const int n = 1461;
  std::vector<std::int32_t> days(n);
  for (int i = 0; i < n; ++i) days[i] = 17897 + i;
  std::vector<std::uint8_t> dummies(2 * static_cast<size_t>(n), 0);
  for (int i = 0; i < n; i += 37) dummies[static_cast<size_t>(i)] = 1;
  for (int i = 5; i < n; i += 91) dummies[static_cast<size_t>(n + i)] = 1;
  tk::CostParams cp;
  cp.id = tk::CostId::regression;
  cp.n = n;
  cp.basis.trend = true;
  cp.basis.weekly = 3;
  cp.basis.yearly = 2;
  cp.basis.n_dummies = 2;
  cp.basis.days = days.data();
  cp.basis.dummies = dummies.data();
  std::mt19937_64 rng(21);
  const std::vector<double> x = random_series(rng, n, tk::CostId::regression, false, 0.03);
  const int ns = tk::stats_count(cp);
  std::vector<double> hi(static_cast<size_t>(ns) * (n + 1)), lo(hi.size()), tmp(static_cast<size_t>(ns));
  tk::fill_prefix(cp, x.data(), hi.data(), lo.data(), tmp.data());

  std::vector<double> rows(static_cast<size_t>(n) * cp.basis.columns());
  tk::basis_table(cp.basis, n, rows.data());
  tk::CostParams gpu = cp;
  gpu.basis.days = nullptr;  // the device sees only the rows
  gpu.basis.dummies = nullptr;
  gpu.basis.rows = rows.data();
  std::vector<double> hi2(hi.size()), lo2(hi.size());
  tk::fill_prefix(gpu, x.data(), hi2.data(), lo2.data(), tmp.data());
  for (size_t i = 0; i < hi.size(); ++i) {
    ASSERT_TRUE(same(hi2[i], hi[i])) << "hi " << i;
    ASSERT_TRUE(same(lo2[i], lo[i])) << "lo " << i;
  }
}

// ---- the model itself ------------------------------------------------------------------

TEST(GroupModel, CollectivesActWithinEachWarp) {
  const tk::HostGroup<64> g(12345);
  tk::HostGroup<64>::Reg<bool> p;
  tk::HostGroup<64>::Reg<int> v;
  g.each([&](int i) {
    p[i] = i % 3 == 0;
    v[i] = i;
  });
  const auto mask = g.ballot(p);
  unsigned w0 = 0, w1 = 0;
  for (int l = 0; l < 32; ++l) {
    if (l % 3 == 0) w0 |= 1u << l;
    if ((32 + l) % 3 == 0) w1 |= 1u << l;
  }
  EXPECT_EQ(mask[5], w0);
  EXPECT_EQ(mask[40], w1);
  const auto x = g.shfl_xor(v, 5);
  EXPECT_EQ(x[0], 5);
  EXPECT_EQ(x[37], 32);  // lane 5 of warp 1 <-> lane 0 of warp 1
  // Every order visits every thread once.
  for (std::uint64_t order : {0ull, 1ull, 2ull, 99ull}) {
    const tk::HostGroup<64> h(order);
    std::vector<int> seen(64, 0);
    h.each([&](int i) { ++seen[static_cast<size_t>(i)]; });
    for (int c : seen) EXPECT_EQ(c, 1);
  }
}

// The model must be able to catch a race: a phase in which each thread reads its neighbour's
// value written in the same phase gives different answers in different visiting orders.
TEST(GroupModel, VisitingOrderExposesAnIntraPhaseDependency) {
  auto racy = [](std::uint64_t order) {
    const tk::HostGroup<32> g(order);
    std::vector<int> shared(32, 0);
    g.each([&](int i) { shared[static_cast<size_t>(i)] = shared[static_cast<size_t>((i + 31) % 32)] + 1; });
    return shared;
  };
  EXPECT_NE(racy(0), racy(1));
}

}  // namespace
