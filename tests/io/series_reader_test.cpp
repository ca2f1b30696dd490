// SeriesReader (host/io/series_io.hpp): a block of rows read by hyperslab equals the same
// rows of the whole panel, typed in here; out-of-range blocks and the names are checked.
#include <cmath>
#include <cstring>

#include <gtest/gtest.h>

#include "host/io/series_io.hpp"
#include "kernels/error.hpp"
#include "tests/testing.hpp"

namespace turnpoint {
namespace {

Panel five_series() {
  Panel p;
  p.time = {18262, 18263, 18264};
  for (int s = 0; s < 5; ++s) {
    for (int t = 0; t < 3; ++t) p.values.push_back(s == 2 && t == 1 ? std::nan("") : 10.0 * s + t);
    p.region.push_back("Hubei");
    p.sector.push_back("S" + std::to_string(s));
    p.series_id.push_back("Hubei/S" + std::to_string(s));
  }
  p.units = "MtCO2/day";
  p.source = "test";
  return p;
}

TEST(SeriesReader, RowsAreTheSameRowsOfThePanel) {
  testing::TempDir tmp;
  const std::string file = tmp.path("s.h5");
  write_series(file, five_series());
  const SeriesReader reader(file);
  EXPECT_EQ(reader.n_series(), 5);
  EXPECT_EQ(reader.n_time(), 3);
  EXPECT_TRUE(reader.header().values.empty());
  const Panel rows = reader.read_rows(1, 3);
  ASSERT_EQ(rows.n_series(), 3);
  EXPECT_EQ(rows.series_id, (std::vector<std::string>{"Hubei/S1", "Hubei/S2", "Hubei/S3"}));
  EXPECT_EQ(rows.time, (std::vector<std::int32_t>{18262, 18263, 18264}));
  EXPECT_EQ(rows.units, "MtCO2/day");
  const std::vector<double> want = {10, 11, 12, 20, std::nan(""), 22, 30, 31, 32};
  ASSERT_EQ(rows.values.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ(std::memcmp(&rows.values[i], &want[i], sizeof(double)), 0) << i;
  EXPECT_EQ(reader.read_rows(5, 0).n_series(), 0);
  EXPECT_THROW(reader.read_rows(4, 2), invalid_input);
  EXPECT_THROW(reader.read_rows(-1, 1), invalid_input);
  const Panel all = read_series(file);
  EXPECT_EQ(all.values.size(), 15u);
  EXPECT_EQ(all.series_id.size(), 5u);
}

}  // namespace
}  // namespace turnpoint
