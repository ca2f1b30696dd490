// --shard I/N parsing and the balanced series ranges, checked against the definition
// (range k starts at the first series whose prefix weight reaches k/N of the total) found
// by brute force, and the joining of detection sets of consecutive ranges.
#include <random>

#include <gtest/gtest.h>

#include "host/cluster/detections_append.hpp"
#include "host/cluster/fingerprint.hpp"
#include "host/cluster/shard.hpp"
#include "kernels/error.hpp"

namespace turnpoint::cluster {
namespace {

TEST(ParseShard, AcceptsIOverN) {
  const Shard s = parse_shard("2/5");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 5);
  EXPECT_EQ(parse_shard("0/1").count, 1);
}

TEST(ParseShard, RefusesAnythingElse) {
  for (const char* bad : {"", "3", "5/5", "6/5", "-1/5", "1/0", "a/b", "1/2/3", " 1/2", "1/"})
    EXPECT_THROW(parse_shard(bad), invalid_input) << bad;
}

// The first series i with prefix(i) * parts >= k * total, by scanning every i.
std::int64_t brute_start(const std::vector<std::int64_t>& w, int parts, int k) {
  std::int64_t total = 0;
  for (auto x : w) total += x;
  std::int64_t prefix = 0;
  for (std::size_t i = 0; i <= w.size(); ++i) {
    if (prefix * parts >= k * total) return static_cast<std::int64_t>(i);
    if (i < w.size()) prefix += w[i];
  }
  return static_cast<std::int64_t>(w.size());
}

TEST(BalancedRanges, TileThePanelAndMatchTheDefinition) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = static_cast<int>(rng() % 40);
    const int parts = 1 + static_cast<int>(rng() % 9);
    std::vector<std::int64_t> w(static_cast<std::size_t>(n));
    for (auto& x : w) x = series_weight(static_cast<std::int64_t>(rng() % 1462));
    const auto r = balanced_ranges(w, parts);
    ASSERT_EQ(r.size(), static_cast<std::size_t>(parts));
    std::int64_t next = 0;
    for (int k = 0; k < parts; ++k) {
      EXPECT_EQ(r[k].first, next);
      EXPECT_EQ(r[k].first, k == 0 ? 0 : brute_start(w, parts, k)) << "trial " << trial << " k " << k;
      EXPECT_GE(r[k].count, 0);
      next = r[k].end();
    }
    EXPECT_EQ(next, n);
  }
}

TEST(BalancedRanges, FollowTheWorkNotTheCount) {
  // 6 series with 10 observed days, then 2 with 1,000: two parts split at the long ones.
  std::vector<std::int64_t> w(6, series_weight(10));
  w.push_back(series_weight(1000));
  w.push_back(series_weight(1000));
  const auto r = balanced_ranges(w, 2);
  EXPECT_EQ(r[0].first, 0);
  EXPECT_EQ(r[0].count, 7);  // prefix 66 + 1001 first reaches 2068 / 2 at series 7
  EXPECT_EQ(r[1].count, 1);
}

TEST(BalancedRanges, MorePartsThanSeriesLeavesEmptyRanges) {
  const auto r = balanced_ranges({5, 5}, 4);
  std::int64_t covered = 0, empty = 0;
  for (const auto& x : r) {
    covered += x.count;
    empty += x.count == 0 ? 1 : 0;
  }
  EXPECT_EQ(covered, 2);
  EXPECT_EQ(empty, 2);
  for (const auto& x : balanced_ranges({}, 3)) EXPECT_EQ(x.count, 0);
}

TEST(Fingerprint, SeparatesStringBoundaries) {
  Fingerprint a, b;
  a.add(std::string("ab"));
  a.add(std::string("c"));
  b.add(std::string("a"));
  b.add(std::string("bc"));
  EXPECT_NE(a.hex(), b.hex());
  EXPECT_EQ(a.hex().size(), 16u);
}

DetectionSet small_set(const std::string& json, int n_series, int first_point_series) {
  DetectionSet s;
  s.time = {0, 1, 2, 3};
  s.config_json = json;
  s.backend = "cpu";
  for (int i = 0; i < n_series; ++i) {
    s.series_id.push_back("s" + std::to_string(i));
    s.region.push_back("r");
    s.sector.push_back("x");
    s.summary.push_back({});
  }
  TurningPoint p;
  p.series = first_point_series;
  p.index = 2;
  s.points.push_back(p);
  s.path.push_back({first_point_series, 1, 0.5, {2}});
  return s;
}

TEST(AppendDetections, RenumbersSeriesByTheRowsBefore) {
  DetectionSet all;
  append_detections(all, small_set("{}", 3, 1), "a");
  append_detections(all, small_set("{}", 2, 1), "b");
  ASSERT_EQ(all.series_id.size(), 5u);
  ASSERT_EQ(all.points.size(), 2u);
  EXPECT_EQ(all.points[0].series, 1);
  EXPECT_EQ(all.points[1].series, 4);
  EXPECT_EQ(all.path[1].series, 4);
  EXPECT_EQ(all.series_id[3], "s0");
}

TEST(AppendDetections, RefusesAnotherRunsSettings) {
  DetectionSet all;
  append_detections(all, small_set("{\"a\":1}", 1, 0), "a");
  try {
    append_detections(all, small_set("{\"a\":2}", 1, 0), "part b");
    FAIL() << "no error";
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("part b"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("settings"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace turnpoint::cluster
