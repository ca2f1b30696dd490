// The streamed writer of detect and merge (host/cluster/detections_stream.hpp): a set
// appended in parts of any size must give the file that the set written whole from memory
// gives, byte for byte (the same timestamp), and read back to the same rows; a stream that
// is not committed leaves nothing behind.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>

#include <gtest/gtest.h>

#include "host/cluster/detections_stream.hpp"
#include "host/io/detections_io.hpp"
#include "kernels/error.hpp"
#include "tests/testing.hpp"

namespace turnpoint::cluster {
namespace {

using turnpoint::testing::TempDir;

std::string bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A set of n series with 0..4 turning points each, /path and /crops rows with ragged
// changes (some empty), and every column's value different.
DetectionSet random_set(int n, unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  DetectionSet s;
  s.time = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  s.input = "in.h5";
  s.units = "Mt";
  s.config_json = "{}";
  s.backend = "cpu";
  for (int i = 0; i < n; ++i) {
    s.series_id.push_back("id" + std::to_string(i) + std::string(static_cast<std::size_t>(pick(30)), 'x'));
    s.region.push_back("r" + std::to_string(pick(5)));
    s.sector.push_back("s" + std::to_string(pick(3)));
    const int k = pick(5);
    s.summary.push_back({static_cast<SeriesStatus>(pick(3)), pick(10), k, 0.5 * pick(100),
                         1.5 * pick(7), 0.25 * pick(9)});
    for (int j = 0; j < k; ++j) {
      TurningPoint p;
      p.series = i;
      p.index = 1 + 2 * j;
      p.day = p.index;
      p.kind = static_cast<TurnKind>(pick(3) - 1);
      p.shape = static_cast<TurnShape>(pick(7) - 1);
      p.confidence = pick(2) ? 0.01 * pick(100) : std::nan("");
      p.ci_lo = p.index - pick(2);
      p.ci_hi = p.index + pick(2);
      p.gain = 0.1 * pick(1000);
      p.step = -0.01 * pick(50);
      p.step_z = 0.3 * pick(20);
      p.rank = j + 1;
      s.points.push_back(p);
    }
    for (int j = 0; j < pick(3); ++j) {
      std::vector<std::int32_t> ch;
      for (int c = 0; c < j; ++c) ch.push_back(2 + 3 * c);
      s.path.push_back({i, j, 10.0 - j, ch});
      s.crops.push_back({i, 1.0 * j, 2.0 * j, 5.0 - j, ch});
    }
  }
  return s;
}

template <class Row>
void keep_rows(const std::vector<Row>& all, int first, int n, std::vector<Row>& out) {
  out.clear();
  for (Row r : all)
    if (r.series >= first && r.series < first + n) {
      r.series -= first;
      out.push_back(r);
    }
}

// Series [first, first + n) of `s`, numbered from 0: what one chunk of detect makes.
DetectionSet slice(const DetectionSet& s, int first, int n) {
  DetectionSet p = s;
  p.series_id.assign(s.series_id.begin() + first, s.series_id.begin() + first + n);
  p.region.assign(s.region.begin() + first, s.region.begin() + first + n);
  p.sector.assign(s.sector.begin() + first, s.sector.begin() + first + n);
  p.summary.assign(s.summary.begin() + first, s.summary.begin() + first + n);
  keep_rows(s.points, first, n, p.points);
  keep_rows(s.path, first, n, p.path);
  keep_rows(s.crops, first, n, p.crops);
  return p;
}

std::string stream_in_parts(const DetectionSet& s, int chunk, const std::string& path) {
  DetectionsStream out(path);
  const int n = static_cast<int>(s.series_id.size());
  int first = 0;
  do {
    const int k = std::min(chunk, n - first);
    out.append(slice(s, first, k), "chunk");
    first += k;
  } while (first < n);
  EXPECT_EQ(out.n_series(), n);
  EXPECT_EQ(out.n_points(), static_cast<std::int64_t>(s.points.size()));
  out.commit();
  return bytes(path);
}

TEST(DetectionsStream, AnyPartSizeGivesTheBytesOfTheWholeSet) {
  ::setenv("SOURCE_DATE_EPOCH", "1790000000", 1);
  TempDir dir;
  const DetectionSet set = random_set(23, 7);
  ASSERT_GT(set.points.size(), 20u);
  ASSERT_GT(set.path.size(), 5u);
  write_detections(dir.path("whole.h5"), set);
  const std::string whole = bytes(dir.path("whole.h5"));
  for (int chunk : {1, 3, 23, 100})
    EXPECT_EQ(stream_in_parts(set, chunk, dir.path("s" + std::to_string(chunk) + ".h5")), whole)
        << "parts of " << chunk;
  EXPECT_EQ(dir.file_count(), 5u);  // no scratch left beside them

  const DetectionSet back = read_detections(dir.path("s3.h5"));
  ASSERT_EQ(back.points.size(), set.points.size());
  for (std::size_t i = 0; i < set.points.size(); ++i) {
    EXPECT_EQ(back.points[i].series, set.points[i].series) << i;
    EXPECT_EQ(back.points[i].ci_hi, set.points[i].ci_hi) << i;
    EXPECT_EQ(back.points[i].step_z, set.points[i].step_z) << i;
  }
  ASSERT_EQ(back.crops.size(), set.crops.size());
  for (std::size_t i = 0; i < set.crops.size(); ++i) {
    EXPECT_EQ(back.crops[i].series, set.crops[i].series) << i;
    EXPECT_EQ(back.crops[i].changes, set.crops[i].changes) << i;
  }
  EXPECT_EQ(back.series_id, set.series_id);
  EXPECT_EQ(back.summary.back().sigma, set.summary.back().sigma);
}

TEST(DetectionsStream, WithoutCommitLeavesNothing) {
  TempDir dir;
  {
    DetectionsStream out(dir.path("d.h5"));
    out.append(random_set(5, 1), "chunk");
    EXPECT_EQ(dir.file_count(), 1u);  // the scratch, while it runs
  }
  EXPECT_EQ(dir.file_count(), 0u);
}

TEST(DetectionsStream, RefusesAPartOfAnotherRun) {
  TempDir dir;
  DetectionsStream out(dir.path("d.h5"));
  out.append(random_set(2, 1), "chunk 1");
  DetectionSet other = random_set(2, 2);
  other.config_json = "{\"a\":1}";
  try {
    out.append(other, "part b.h5");
    FAIL() << "no error";
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("part b.h5"), std::string::npos) << e.what();
  }
  DetectionSet bad = random_set(2, 3);
  bad.points.at(0).series = 2;  // no such series in its part
  EXPECT_THROW(out.append(bad, "chunk 3"), invalid_input);
}

TEST(DetectionsStream, RefusesAFolderBeforeAnyWork) {
  TempDir dir;
  EXPECT_THROW(DetectionsStream(dir.dir().string()), invalid_input);
  try {
    DetectionsStream out(dir.path("no/such/folder/d.h5"));
    FAIL() << "no error";
  } catch (const invalid_input& e) {  // named by the output, not by its scratch
    EXPECT_NE(std::string(e.what()).find("d.h5: cannot write there"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace turnpoint::cluster
