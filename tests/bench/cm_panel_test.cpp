// The real panel's two sources (bench/cm_panel.hpp): the binary panel file that the GPU bundle
// carries reads back exactly what was written and refuses a damaged copy; the CSV loader gives
// the 155 x 1,461 panel; the file made from the CSV files is the same panel.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <string>

#include "bench/cm_panel.hpp"
#include "tests/testing.hpp"

namespace turnpoint::bench {
namespace {

CmPanel small_panel() {
  CmPanel p;
  p.n_series = 3;
  p.n_time = 4;
  p.days = {17897, 17898, 17899, 17900};
  p.values = {1.0, 2.5, std::numeric_limits<double>::quiet_NaN(), -4.0,  //
              0.0, 1e-300, 1e300, 7.0,                                  //
              3.0, 3.0, 3.0, 3.0};
  p.names = {"Aviation/Anhui", "Power/Beijing", "Residential/\xe5\x8c\x97\xe4\xba\xac"};
  return p;
}

TEST(CmPanelFile, RoundTripsExactly) {
  testing::TempDir dir;
  const CmPanel p = small_panel();
  const std::string f = dir.path("p.tpp");
  ASSERT_TRUE(write_cm_file(p, f));
  const CmPanel q = read_cm_file(f);
  ASSERT_TRUE(q.ok()) << q.error;
  EXPECT_EQ(q.n_series, 3);
  EXPECT_EQ(q.n_time, 4);
  EXPECT_EQ(q.days, p.days);
  EXPECT_EQ(q.names, p.names);
  EXPECT_TRUE(testing::same_bits(q.values, p.values));
}

TEST(CmPanelFile, RefusesDamagedCopies) {
  testing::TempDir dir;
  const std::string f = dir.path("p.tpp");
  ASSERT_TRUE(write_cm_file(small_panel(), f));
  std::string bytes;
  {
    std::ifstream in(f, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::string flipped = bytes;
  flipped[40] = static_cast<char>(flipped[40] ^ 1);  // one bit of a value
  EXPECT_FALSE(read_cm_file(dir.write("flipped.tpp", flipped)).ok());
  EXPECT_FALSE(read_cm_file(dir.write("short.tpp", bytes.substr(0, bytes.size() - 3))).ok());
  EXPECT_FALSE(read_cm_file(dir.write("long.tpp", bytes + "x")).ok());
  EXPECT_FALSE(read_cm_file(dir.write("csv.tpp", "date,state,value\n")).ok());
  const CmPanel missing = read_cm_file(dir.path("absent.tpp"));
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.error.find("absent.tpp"), std::string::npos);
}

TEST(CmPanelFile, EnvironmentVariableWinsAndMustLoad) {
  testing::TempDir dir;
  const std::string f = dir.path("p.tpp");
  ASSERT_TRUE(write_cm_file(small_panel(), f));
  setenv("TURNPOINT_CM_PANEL", f.c_str(), 1);
  const CmPanel a = find_cm_panel({});
  setenv("TURNPOINT_CM_PANEL", dir.path("absent.tpp").c_str(), 1);
  const CmPanel b = find_cm_panel({});
  unsetenv("TURNPOINT_CM_PANEL");
  EXPECT_TRUE(a.ok()) << a.error;
  EXPECT_EQ(a.n_series, 3);
  EXPECT_FALSE(b.ok());  // set but unreadable: an error, not a fall-back to other sources
  const CmPanel c = find_cm_panel({dir.path("no-such-folder")});
  EXPECT_FALSE(c.ok());
  EXPECT_NE(c.error.find("no-such-folder"), std::string::npos) << c.error;
}

TEST(CmPanelCsv, RealPanelAndItsFileAreTheSame) {
  TURNPOINT_SHARED_OR_SKIP(csv, "datasets/carbon_monitor_china_daily");
  const CmPanel p = load_cm_csv(csv);
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(p.n_series, 155);
  EXPECT_EQ(p.n_time, 1461);
  EXPECT_EQ(p.days.front(), days_from_civil(2019, 1, 1));
  EXPECT_EQ(p.days.back(), days_from_civil(2022, 12, 31));
  EXPECT_EQ(p.names.front(), "Aviation/Anhui");
  EXPECT_EQ(p.names.back().rfind("Residential/", 0), 0u);
  testing::TempDir dir;
  ASSERT_TRUE(write_cm_file(p, dir.path("cm.tpp")));
  const CmPanel q = read_cm_file(dir.path("cm.tpp"));
  ASSERT_TRUE(q.ok()) << q.error;
  EXPECT_EQ(q.names, p.names);
  EXPECT_EQ(q.days, p.days);
  EXPECT_TRUE(testing::same_bits(q.values, p.values));
}

}  // namespace
}  // namespace turnpoint::bench
