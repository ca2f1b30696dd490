// Metamorphic properties of the raw solvers (turnpoint::detect), over random panels and
// random settings (every method x cost x penalty x noise scale, CROPS, regression dummies):
// what must not change an answer (NaN padding, series order, thread count, panel vs
// single series, powers of two), what changes it only by rounding (scale by 10^k, shift,
// time reversal of a symmetric cost: the same turning points or an equally good
// segmentation, a tie), and what theory says an extra day cannot move. One function per
// property, run by tests/kernels/properties_test.cpp (CPU) and cuda_properties_test.cpp
// (GPU). docs/reliability.md lists them with their case counts.
#pragma once
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/detect.hpp"
#include "kernels/dispatch.hpp"
#include "kernels/error.hpp"
#include "kernels/segmentation.hpp"
#include "kernels/series_prep.hpp"
#include "kernels/validate_config.hpp"

namespace turnpoint::testing::props {

// ---- random cases -------------------------------------------------------------------------

struct Panel {
  int n_series = 0;
  int n_time = 0;
  std::vector<double> values;  // [n_series][n_time]
  std::vector<std::int32_t> days;
  const double* row(int s) const { return values.data() + static_cast<size_t>(s) * n_time; }
};

inline std::string describe(const DetectConfig& c) {
  std::ostringstream o;
  o << to_string(c.method) << "/" << to_string(c.cost) << "/" << to_string(c.penalty)
    << "/noise=" << (c.noise == NoiseScale::mad ? "mad" : "none") << "/min_size=" << c.min_size
    << "/max_changes=" << c.max_changes;
  if (c.cost == CostKind::regression)
    o << "/trend=" << c.basis.trend << "/weekly=" << c.basis.weekly << "/dummies=" << c.basis.dummy_names.size();
  if (c.crops_max > 0) o << "/crops=[" << c.crops_min << "," << c.crops_max << "]";
  return o.str();
}

struct ConfigChoice {
  bool symmetric = false;   // only costs symmetric in time (no harmonics, no dummies)
  bool allow_crops = true;
  bool allow_poisson = true;
};

inline DetectConfig random_config(std::mt19937_64& rng, int n_time, ConfigChoice choice = {}) {
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  DetectConfig c;
  const Method methods[] = {Method::op, Method::pelt, Method::segneigh, Method::binseg};
  c.method = methods[pick(4)];
  const CostKind costs[] = {CostKind::mean, CostKind::meanvar, CostKind::regression, CostKind::poisson};
  c.cost = costs[pick(choice.allow_poisson ? 4 : 3)];
  switch (pick(5)) {
    case 0: c.penalty = {PenaltyKind::mbic, 0.0}; break;
    case 1: c.penalty = {PenaltyKind::bic, 0.0}; break;
    case 2: c.penalty = {PenaltyKind::hq, 0.0}; break;
    case 3: c.penalty = {PenaltyKind::aic, 0.0}; break;
    default: c.penalty = {PenaltyKind::manual, 2.0 + 30.0 * std::uniform_real_distribution<double>(0, 1)(rng)};
  }
  c.noise = pick(3) == 0 ? NoiseScale::none : NoiseScale::mad;
  c.min_size = 1 + pick(4);
  c.max_changes = 1 + pick(5);
  if (c.cost == CostKind::regression) {
    c.basis.trend = pick(2) == 0;
    if (!choice.symmetric) {
      c.basis.weekly = pick(2);
      if (pick(3) == 0) {  // one 0/1 regressor: the trimmed-dummies path
        c.basis.dummy_names = {"holiday"};
        c.basis.dummies.resize(static_cast<size_t>(n_time));
        for (auto& d : c.basis.dummies) d = pick(5) == 0 ? 1 : 0;
      }
    }
  }
  if (choice.allow_crops && (c.method == Method::pelt || c.method == Method::op) && pick(8) == 0) {
    c.crops_min = 1.0;
    c.crops_max = 40.0;
  }
  return c;
}

// Piecewise-constant levels with noise, some missing days; positive and continuous for the
// Poisson cost (integer counts would make exact ties between segmentations).
inline Panel random_panel(std::mt19937_64& rng, int n_series, int n_time, bool positive, double nan_rate) {
  std::normal_distribution<double> noise(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Panel p;
  p.n_series = n_series;
  p.n_time = n_time;
  p.values.resize(static_cast<size_t>(n_series) * n_time);
  p.days.resize(static_cast<size_t>(n_time));
  const std::int32_t d0 = 17897 + static_cast<std::int32_t>(rng() % 400);
  for (int i = 0; i < n_time; ++i) p.days[i] = d0 + i;
  for (int s = 0; s < n_series; ++s) {
    double level = positive ? 5.0 : 0.0;
    const double spread = 0.3 + 2.0 * u(rng);
    for (int i = 0; i < n_time; ++i) {
      if (u(rng) < 0.06) level = positive ? 1.0 + 9.0 * u(rng) : 4.0 * noise(rng);
      double v = level + spread * noise(rng);
      if (positive) v = std::fabs(v) + 0.01 + 0.1 * u(rng);
      p.values[static_cast<size_t>(s) * n_time + i] = u(rng) < nan_rate ? std::nan("") : v;
    }
  }
  return p;
}

struct RandomCase {
  Panel panel;
  DetectConfig config;
  std::string what;  // for failure messages
};

inline RandomCase random_case(std::uint64_t seed, ConfigChoice choice = {}, int max_series = 4) {
  std::mt19937_64 rng(seed);
  const int n_time = 10 + static_cast<int>(rng() % 70);
  RandomCase c;
  c.config = random_config(rng, n_time, choice);
  const int n_series = 1 + static_cast<int>(rng() % static_cast<unsigned>(max_series));
  const double nan_rate = rng() % 3 == 0 ? 0.05 : 0.0;
  c.panel = random_panel(rng, n_series, n_time, c.config.cost == CostKind::poisson, nan_rate);
  c.what = "seed " + std::to_string(seed) + " " + describe(c.config) + " panel " +
           std::to_string(n_series) + "x" + std::to_string(n_time);
  return c;
}

// ---- running and comparing ----------------------------------------------------------------

inline DetectResult run(const Panel& p, const DetectConfig& c, Backend b) {
  return detect(p.values.data(), p.n_series, p.n_time, p.days.data(), c, b);
}

// Bitwise the same answer for one series, except that the changes of `b` are those of `a`
// plus `offset`.
inline ::testing::AssertionResult identical(const SeriesDetection& a, const SeriesDetection& b, int offset = 0) {
  auto shifted = [&](std::vector<int> v) {
    for (int& x : v) x += offset;
    return v;
  };
  if (a.status != b.status) return ::testing::AssertionFailure() << "status differs";
  if (shifted(a.changes) != b.changes) {
    auto f = ::testing::AssertionFailure() << "changes differ:";
    for (int x : a.changes) f << " " << x + offset;
    f << " vs";
    for (int x : b.changes) f << " " << x;
    return f;
  }
  if (a.gains != b.gains) return ::testing::AssertionFailure() << "gains differ";
  if (!(a.cost == b.cost)) return ::testing::AssertionFailure() << "cost " << a.cost << " vs " << b.cost;
  if (a.penalty != b.penalty || a.sigma != b.sigma || a.n_valid != b.n_valid)
    return ::testing::AssertionFailure() << "penalty, sigma or n_valid differ";
  if (a.path.size() != b.path.size() || a.path_cost != b.path_cost)
    return ::testing::AssertionFailure() << "path costs differ";
  for (size_t k = 0; k < a.path.size(); ++k)
    if (shifted(a.path[k]) != b.path[k]) return ::testing::AssertionFailure() << "path " << k << " differs";
  if (a.crops.size() != b.crops.size()) return ::testing::AssertionFailure() << "CROPS sizes differ";
  for (size_t k = 0; k < a.crops.size(); ++k)
    if (shifted(a.crops[k].changes) != b.crops[k].changes || a.crops[k].cost != b.crops[k].cost ||
        a.crops[k].pen_lo != b.crops[k].pen_lo || a.crops[k].pen_hi != b.crops[k].pen_hi)
      return ::testing::AssertionFailure() << "CROPS segmentation " << k << " differs";
  return ::testing::AssertionSuccess();
}

// The penalised objective of `changes` for series x under `c`, computed the way the CPU
// backend does (kernels/detect_cpu.cpp): what OP, PELT and segment neighbourhood minimise.
inline double objective(const double* x_all, int n_all, const std::int32_t* days_all, const DetectConfig& c,
                        const std::vector<int>& changes_all) {
  using namespace turnpoint::kernels;
  const SeriesPrep prep = prepare_series(x_all, n_all, c, "objective");
  const int n = prep.end - prep.begin;  // the span the solver sees
  const double* x = x_all + prep.begin;
  std::vector<int> changes;
  for (int t : changes_all) changes.push_back(t - prep.begin);
  std::vector<std::uint8_t> dummies;
  for (size_t j = 0; j < c.basis.dummy_names.size(); ++j)
    for (int i = prep.begin; i < prep.end; ++i) dummies.push_back(c.basis.dummies[j * n_all + static_cast<size_t>(i)]);
  std::vector<double> y(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) y[i] = prep.value(x[i]);
  CostParams cp;
  cp.id = static_cast<CostId>(static_cast<int>(c.cost));
  cp.mbic = c.penalty.kind == PenaltyKind::mbic && !(c.crops_max > c.crops_min);
  cp.n = n;
  cp.inv_var = prep.inv_var;
  cp.var_floor = prep.var_floor;
  cp.basis = basis_spec(c.basis, days_all + prep.begin, dummies.empty() ? nullptr : dummies.data());
  const int ns = stats_count(cp);
  std::vector<double> hi(static_cast<size_t>(ns) * (n + 1)), lo(hi.size()), tmp(static_cast<size_t>(ns));
  fill_prefix(cp, y.data(), hi.data(), lo.data(), tmp.data());
  double q = 0.0;
  with_cost(cp, PrefixView{hi.data(), lo.data(), n + 1}, [&](const auto& cost) {
    q = segmentation_cost(cost, n, changes.data(), static_cast<int>(changes.size()));
  });
  const int d = changing_parameters(c);
  return prep.unscale_cost(q) + penalty_value(c.penalty, std::max(prep.n_valid, 2), d) *
                                    static_cast<double>(changes.size());
}

// Same turning points, or two segmentations whose objectives on the series x agree to
// rounding: a tie that a perturbation of the last bits may break either way (for binary
// segmentation: the two sides of a missing day, which are exactly equal).
inline ::testing::AssertionResult same_or_tie(const double* x, int n, const std::int32_t* days,
                                             const DetectConfig& c, const std::vector<int>& a,
                                             const std::vector<int>& b) {
  if (a == b) return ::testing::AssertionSuccess();
  auto f = ::testing::AssertionFailure() << "changes differ:";
  for (int v : a) f << " " << v;
  f << " vs";
  for (int v : b) f << " " << v;
  const double oa = objective(x, n, days, c, a), ob = objective(x, n, days, c, b);
  if (std::fabs(oa - ob) <= 1e-9 * (std::fabs(oa) + n)) return ::testing::AssertionSuccess();
  return f << " with objectives " << oa << " vs " << ob;
}

inline bool counts_as_scale_free(const DetectConfig& c) {
  return c.cost != CostKind::poisson && (c.noise == NoiseScale::mad || c.cost == CostKind::meanvar);
}

// ---- the properties ------------------------------------------------------------------------
// Each runs `cases` random cases from `seed0` on `backend` and returns the number of cases
// checked; failures are reported through gtest with the case's seed and settings.

// NaN days added at the start and end of each series (a different number per series: a
// ragged panel) shift its turning points by the leading padding and change nothing else,
// for every setting: the panel's answer for a series equals that series alone on its days.
inline int padding_property(int cases, std::uint64_t seed0, Backend backend) {
  int checked = 0;
  for (int k = 0; k < cases; ++k) {
    const RandomCase rc = random_case(seed0 + k);
    std::mt19937_64 rng(seed0 + k + 7777);
    const Panel& p = rc.panel;
    const int pad = 1 + static_cast<int>(rng() % 24);  // total padding of every series
    Panel padded;
    padded.n_series = p.n_series;
    padded.n_time = p.n_time + pad;
    padded.values.assign(static_cast<size_t>(padded.n_series) * padded.n_time, std::nan(""));
    padded.days.resize(static_cast<size_t>(padded.n_time));
    for (int i = 0; i < padded.n_time; ++i) padded.days[i] = p.days[0] - pad / 2 + i;
    std::vector<int> lead(static_cast<size_t>(p.n_series));
    for (int s = 0; s < p.n_series; ++s) {
      lead[s] = static_cast<int>(rng() % static_cast<unsigned>(pad + 1));
      std::copy_n(p.row(s), p.n_time, padded.values.begin() + static_cast<long>(s) * padded.n_time + lead[s]);
    }
    DetectConfig pc = rc.config;  // regressors are per day of the axis: random on the longer one
    for (size_t j = 0; j < pc.basis.dummy_names.size(); ++j) {
      pc.basis.dummies.resize(static_cast<size_t>(padded.n_time));
      for (auto& d : pc.basis.dummies) d = rng() % 5 == 0 ? 1 : 0;
    }
    DetectResult in_panel;
    try {
      in_panel = run(padded, pc, backend);
    } catch (const invalid_input& e) {
      ADD_FAILURE() << rc.what << ": " << e.what();
      continue;
    }
    for (int s = 0; s < p.n_series; ++s) {
      Panel one;  // the series alone, on its own days, with its days' regressors
      one.n_series = 1;
      one.n_time = p.n_time;
      one.values.assign(p.row(s), p.row(s) + p.n_time);
      one.days.assign(padded.days.begin() + lead[s], padded.days.begin() + lead[s] + p.n_time);
      DetectConfig oc = pc;
      if (!oc.basis.dummies.empty())
        oc.basis.dummies.assign(pc.basis.dummies.begin() + lead[s], pc.basis.dummies.begin() + lead[s] + p.n_time);
      const DetectResult alone = run(one, oc, backend);
      EXPECT_TRUE(identical(alone.series[0], in_panel.series[static_cast<size_t>(s)], lead[s]))
          << rc.what << " series " << s << " padded by " << lead[s] << " + " << pad - lead[s];
    }
    ++checked;
  }
  return checked;
}

// A permutation of the series permutes the answers, bit for bit.
inline int order_property(int cases, std::uint64_t seed0, Backend backend) {
  int checked = 0;
  for (int k = 0; k < cases; ++k) {
    RandomCase rc = random_case(seed0 + k, {}, 6);
    const Panel& p = rc.panel;
    std::vector<int> perm(static_cast<size_t>(p.n_series));
    std::iota(perm.begin(), perm.end(), 0);
    std::mt19937_64 rng(seed0 + k);
    std::shuffle(perm.begin(), perm.end(), rng);
    Panel q = p;
    for (int s = 0; s < p.n_series; ++s)
      std::copy_n(p.row(perm[s]), p.n_time, q.values.begin() + static_cast<long>(s) * p.n_time);
    const DetectResult a = run(p, rc.config, backend), b = run(q, rc.config, backend);
    for (int s = 0; s < p.n_series; ++s)
      EXPECT_TRUE(identical(a.series[static_cast<size_t>(perm[s])], b.series[static_cast<size_t>(s)]))
          << rc.what << " series " << s;
    ++checked;
  }
  return checked;
}

// One thread or two (OpenMP): the same answers, bit for bit.
inline int threads_property(int cases, std::uint64_t seed0, Backend backend) {
  int checked = 0;
  const int before = omp_get_max_threads();
  for (int k = 0; k < cases; ++k) {
    RandomCase rc = random_case(seed0 + k, {}, 8);
    omp_set_num_threads(1);
    const DetectResult a = run(rc.panel, rc.config, backend);
    omp_set_num_threads(2);
    const DetectResult b = run(rc.panel, rc.config, backend);
    for (int s = 0; s < rc.panel.n_series; ++s)
      EXPECT_TRUE(identical(a.series[static_cast<size_t>(s)], b.series[static_cast<size_t>(s)]))
          << rc.what << " series " << s;
    ++checked;
  }
  omp_set_num_threads(before);
  return checked;
}

// Each series run alone gives its answer in the panel, bit for bit.
inline int panel_property(int cases, std::uint64_t seed0, Backend backend) {
  int checked = 0;
  for (int k = 0; k < cases; ++k) {
    RandomCase rc = random_case(seed0 + k, {}, 6);
    const Panel& p = rc.panel;
    const DetectResult all = run(p, rc.config, backend);
    for (int s = 0; s < p.n_series; ++s) {
      const DetectResult one = detect(p.row(s), 1, p.n_time, p.days.data(), rc.config, backend);
      EXPECT_TRUE(identical(one.series[0], all.series[static_cast<size_t>(s)])) << rc.what << " series " << s;
    }
    ++checked;
  }
  return checked;
}

// Multiplying a series by 2^j (|j| <= 900, values staying inside the double range) changes
// nothing the solver sees: the same turning points and gains, bit for bit; sigma scales
// by 2^j; with --noise none the cost scales by 4^j, so a manual penalty times 4^j gives the
// same answer. Poisson is left out: its cost is not scale-free (counts).
inline int power_of_two_scale_property(int cases, std::uint64_t seed0, Backend backend) {
  int checked = 0;
  for (int k = 0; k < cases; ++k) {
    RandomCase rc = random_case(seed0 + k, {true, false, false});
    std::mt19937_64 rng(seed0 + k + 99);
    const int j = static_cast<int>(rng() % 1801) - 900;
    const double f = std::ldexp(1.0, j);
    Panel q = rc.panel;
    for (double& v : q.values) v *= f;
    DetectConfig qc = rc.config;
    const bool none = rc.config.noise == NoiseScale::none && rc.config.cost != CostKind::meanvar;
    if (none) {
      if (rc.config.penalty.kind != PenaltyKind::manual) continue;  // scale-dependent by design
      qc.penalty.value = std::ldexp(rc.config.penalty.value, 2 * j);
    }
    DetectResult a, b;
    try {
      a = run(rc.panel, rc.config, backend);
      b = run(q, qc, backend);
    } catch (const invalid_input& e) {
      // --noise none refuses sums of squares outside the double range: a clear error.
      EXPECT_TRUE(none && std::abs(j) > 400) << rc.what << " j " << j << ": " << e.what();
      continue;
    }
    for (int s = 0; s < q.n_series; ++s) {
      const SeriesDetection &x = a.series[static_cast<size_t>(s)], &y = b.series[static_cast<size_t>(s)];
      EXPECT_EQ(x.changes, y.changes) << rc.what << " j " << j << " series " << s;
      if (!none) {
        EXPECT_EQ(x.gains, y.gains) << rc.what << " j " << j << " series " << s;
      }
      if (x.status == SeriesStatus::ok && !none && rc.config.noise == NoiseScale::mad) {
        EXPECT_EQ(std::ldexp(x.sigma, j), y.sigma) << rc.what << " j " << j;
      }
    }
    ++checked;
  }
  return checked;
}

// Multiplying by 10^k (|k| <= 300) or adding a constant (up to 1000 times the series'
// spread) gives the same turning points or a tie, with every scale-free setting (noise
// mad, or the mean-and-variance cost); Poisson is not shift- or scale-free and is left out.
inline int affine_property(int cases, std::uint64_t seed0, Backend backend) {
  int checked = 0;
  for (int k = 0; k < cases; ++k) {
    RandomCase rc = random_case(seed0 + k, {true, false, false}, 3);
    const bool scale = k % 2 == 0;  // else shift: every cost but Poisson is shift-free
    if (scale && !counts_as_scale_free(rc.config)) continue;
    std::mt19937_64 rng(seed0 + k + 31);
    const Panel& p = rc.panel;
    Panel q = p;
    const double f = std::pow(10.0, static_cast<int>(rng() % 601) - 300);
    const double c = std::uniform_real_distribution<double>(-1000.0, 1000.0)(rng);
    for (double& v : q.values) v = scale ? v * f : v + c;
    const DetectResult a = run(p, rc.config, backend), b = run(q, rc.config, backend);
    for (int s = 0; s < p.n_series; ++s)
      EXPECT_TRUE(same_or_tie(p.row(s), p.n_time, p.days.data(), rc.config, a.series[static_cast<size_t>(s)].changes,
                              b.series[static_cast<size_t>(s)].changes))
          << rc.what << (scale ? " scaled by " : " shifted by ") << (scale ? f : c) << " series " << s;
    ++checked;
  }
  return checked;
}

// Reversing time maps each segmentation to its mirror image for the costs symmetric in time
// (mean, mean-and-variance, Poisson, regression on intercept and trend; the MBIC length
// term too): change t of a span of n days becomes n - t.
inline int reversal_property(int cases, std::uint64_t seed0, Backend backend) {
  int checked = 0;
  for (int k = 0; k < cases; ++k) {
    RandomCase rc = random_case(seed0 + k, {true, false, true}, 3);
    if (rc.config.method == Method::binseg) {
      // Binary segmentation breaks exact ties by position (as ruptures does), and a segment
      // holding one valid day next to a missing one ties with its mirror image: checked on
      // series without missing days.
      for (double& v : rc.panel.values)
        if (std::isnan(v)) v = 1.0 + 1e-3 * static_cast<double>(&v - rc.panel.values.data());
    }
    const Panel& p = rc.panel;
    Panel q = p;
    for (int s = 0; s < p.n_series; ++s)
      std::reverse(q.values.begin() + static_cast<long>(s) * p.n_time,
                   q.values.begin() + static_cast<long>(s + 1) * p.n_time);
    const DetectResult a = run(p, rc.config, backend), b = run(q, rc.config, backend);
    for (int s = 0; s < p.n_series; ++s) {
      const double* x = p.row(s);
      int first = 0, last = p.n_time;  // the series' own span
      while (first < last && std::isnan(x[first])) ++first;
      while (last > first && std::isnan(x[last - 1])) --last;
      std::vector<int> mirrored;
      for (int t : b.series[static_cast<size_t>(s)].changes) mirrored.push_back(p.n_time - t);
      std::sort(mirrored.begin(), mirrored.end());
      EXPECT_TRUE(same_or_tie(x, p.n_time, p.days.data(), rc.config, a.series[static_cast<size_t>(s)].changes, mirrored))
          << rc.what << " series " << s;
    }
    ++checked;
  }
  return checked;
}

// The mean cost with a fixed penalty (--noise none, a number): appending a day equal to the
// last segment's mean adds nothing to that segment's cost and cannot make any other
// segmentation cheaper (a longer segment never costs less), so the optimal changes stay
// where they were (OP, PELT, segment neighbourhood). Prepending the first segment's mean
// shifts them by one day. Minimum segment length 1: with a longer one, the restriction of a
// segmentation to the old days may be inadmissible and the argument fails.
inline int extra_day_property(int cases, std::uint64_t seed0, Backend backend) {
  int checked = 0;
  for (int k = 0; k < cases; ++k) {
    std::mt19937_64 rng(seed0 + k);
    const int n = 10 + static_cast<int>(rng() % 70);
    DetectConfig c;
    const Method methods[] = {Method::op, Method::pelt, Method::segneigh};
    c.method = methods[rng() % 3];
    c.cost = CostKind::mean;
    c.noise = NoiseScale::none;
    c.penalty = {PenaltyKind::manual, 2.0 + 30.0 * std::uniform_real_distribution<double>(0, 1)(rng)};
    c.min_size = 1;  // a longer minimum could make the old last segment's restriction inadmissible
    c.max_changes = 1 + static_cast<int>(rng() % 5);
    const Panel p = random_panel(rng, 1, n, false, 0.0);
    const DetectResult a = run(p, c, backend);
    const std::vector<int>& ch = a.series[0].changes;
    auto mean_of = [&](int from, int to) {
      double m = 0.0;
      for (int i = from; i < to; ++i) m += p.values[i];
      return m / (to - from);
    };
    Panel after = p, before = p;
    after.n_time = before.n_time = n + 1;
    after.values.push_back(mean_of(ch.empty() ? 0 : ch.back(), n));
    after.days.push_back(p.days.back() + 1);
    before.values.insert(before.values.begin(), mean_of(0, ch.empty() ? n : ch.front()));
    before.days.insert(before.days.begin(), p.days.front() - 1);
    const DetectResult ra = run(after, c, backend), rb = run(before, c, backend);
    const std::string what = "seed " + std::to_string(seed0 + k) + " " + describe(c);
    EXPECT_TRUE(same_or_tie(after.values.data(), n + 1, after.days.data(), c, ch, ra.series[0].changes))
        << what << " (appended)";
    std::vector<int> ch1;
    for (int t : ch) ch1.push_back(t + 1);
    EXPECT_TRUE(same_or_tie(before.values.data(), n + 1, before.days.data(), c, ch1, rb.series[0].changes))
        << what << " (prepended)";
    ++checked;
  }
  return checked;
}

}  // namespace turnpoint::testing::props
