// Invariants of the default model (issue "Right answers out of the box", item 4), as
// properties over random generator panels: padding a series with missing days at either end
// shifts its turning points by the padding and changes nothing else; a series alone or in a
// panel, in any order, with any thread count, gives the same answer; multiplying a series by
// 10^k (|k| <= 300), or adding a constant to a series modelled without logs, gives the same
// turning points. Expectations come from the unchanged run, never from a stored output.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <limits>
#include <vector>

#include "datasets/generator.hpp"
#include "host/explain/explain.hpp"

namespace turnpoint {
namespace {

Panel small_panel(std::uint64_t seed, std::int64_t n_series = 10) {
  GeneratorConfig c = demo_config();
  c.seed = seed;
  c.n_series = n_series;
  c.n_days = 800;
  c.missing = 0.02;
  return generate_panel(c, nullptr);
}

DetectionSet explain(const Panel& p) {
  DetectionSet set;
  explain_panel(p, DetectConfig{}, ExplainOptions{}, set);
  return set;
}

Panel one_series(const Panel& p, std::int64_t i) {
  Panel q;
  q.time = p.time;
  q.values.assign(p.row(i), p.row(i) + p.n_time());
  q.region = {p.region[i]};
  q.sector = {p.sector[i]};
  q.series_id = {p.series_id[i]};
  return q;
}

std::vector<TurningPoint> of_series(const DetectionSet& s, std::int64_t i) {
  std::vector<TurningPoint> out;
  for (const TurningPoint& p : s.points)
    if (p.series == i) out.push_back(p);
  return out;
}

// Same turning points (day index shifted by `shift`), kinds, shapes and ranks; confidence
// and gain equal to `tol` (relative): rounding, or the rounding of the input itself (a
// series shifted by 1e6 keeps 10 of its 16 digits).
void expect_same(const std::vector<TurningPoint>& a, const std::vector<TurningPoint>& b,
                 int shift, const char* what, double tol = 1e-6) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].index + shift, b[k].index) << what << " point " << k;
    EXPECT_EQ(a[k].kind, b[k].kind) << what;
    EXPECT_EQ(a[k].shape, b[k].shape) << what;
    EXPECT_EQ(a[k].rank, b[k].rank) << what;
    EXPECT_EQ(a[k].ci_lo + shift, b[k].ci_lo) << what;
    EXPECT_EQ(a[k].ci_hi + shift, b[k].ci_hi) << what;
    EXPECT_NEAR(a[k].confidence, b[k].confidence, tol) << what;
    EXPECT_NEAR(a[k].gain, b[k].gain, tol * (1.0 + std::abs(a[k].gain))) << what;
  }
}

TEST(PatternInvariants, PaddingWithMissingDaysShiftsAndChangesNothingElse) {
  for (std::uint64_t seed : {5, 6}) {
    const Panel p = small_panel(seed, 6);
    const DetectionSet base = explain(p);
    for (const auto& [before, after] : {std::pair{30, 0}, std::pair{0, 45}, std::pair{90, 17}}) {
      Panel q;
      for (int d = before; d > 0; --d) q.time.push_back(p.time.front() - d);
      q.time.insert(q.time.end(), p.time.begin(), p.time.end());
      for (int d = 1; d <= after; ++d) q.time.push_back(p.time.back() + d);
      q.region = p.region;
      q.sector = p.sector;
      q.series_id = p.series_id;
      const double nan = std::numeric_limits<double>::quiet_NaN();
      for (std::int64_t i = 0; i < p.n_series(); ++i) {
        q.values.insert(q.values.end(), before, nan);
        q.values.insert(q.values.end(), p.row(i), p.row(i) + p.n_time());
        q.values.insert(q.values.end(), after, nan);
      }
      const DetectionSet padded = explain(q);
      for (std::int64_t i = 0; i < p.n_series(); ++i)
        expect_same(of_series(base, i), of_series(padded, i), before, "padded");
    }
  }
}

TEST(PatternInvariants, AloneOrInAPanelInAnyOrderWithAnyThreads) {
  const Panel p = small_panel(7);
  const DetectionSet base = explain(p);
  for (std::int64_t i = 0; i < p.n_series(); i += 3) {
    const DetectionSet alone = explain(one_series(p, i));
    expect_same(of_series(base, i), of_series(alone, 0), 0, "alone");
  }
  Panel reversed = p;
  const std::int64_t N = p.n_series();
  for (std::int64_t i = 0; i < N; ++i) {
    std::copy(p.row(i), p.row(i) + p.n_time(), reversed.row(N - 1 - i));
    reversed.series_id[N - 1 - i] = p.series_id[i];
  }
  const DetectionSet r = explain(reversed);
  for (std::int64_t i = 0; i < N; ++i)
    expect_same(of_series(base, i), of_series(r, N - 1 - i), 0, "reversed order");
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const DetectionSet one = explain(p);
  omp_set_num_threads(threads);
  for (std::int64_t i = 0; i < N; ++i) expect_same(of_series(base, i), of_series(one, i), 0, "1 thread");
}

TEST(PatternInvariants, ScaleAndShift) {
  const Panel p = small_panel(8, 5);
  const DetectionSet base = explain(p);
  for (const double factor : {1e-300, 1e-200, 1e-3, 1e3, 1e200, 1e300}) {
    Panel q = p;
    for (double& v : q.values) v *= factor;
    const DetectionSet scaled = explain(q);
    for (std::int64_t i = 0; i < p.n_series(); ++i)
      expect_same(of_series(base, i), of_series(scaled, i), 0, "scaled");
  }
  // A series with a zero is modelled as it is (no logs): then shift and scale are both
  // invariants (it is standardised).
  Panel z = p;
  for (std::int64_t i = 0; i < z.n_series(); ++i) z.row(i)[3] = 0.0;
  const DetectionSet zb = explain(z);
  for (const auto& [add, mul] : {std::pair{1e6, 1.0}, std::pair{-50.0, 1e250}, std::pair{0.0, 1e-250}}) {
    Panel q = z;
    for (double& v : q.values) v = v * mul + add * mul;
    const DetectionSet moved = explain(q);
    for (std::int64_t i = 0; i < z.n_series(); ++i)
      expect_same(of_series(zb, i), of_series(moved, i), 0, "shifted and scaled", 1e-3);
  }
}

}  // namespace
}  // namespace turnpoint
