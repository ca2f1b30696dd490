// panel_fingerprint (host/core/panel_fingerprint.hpp): what tells a sweep's or a detection
// set's input apart from another file of the same name, size or shape.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include <gtest/gtest.h>

#include "host/core/panel_fingerprint.hpp"

namespace {

turnpoint::Panel sample() {
  turnpoint::Panel p;
  p.time = {18262, 18263, 18264};
  p.series_id = {"Hubei/Power", "Beijing/Industry"};
  p.region = {"Hubei", "Beijing"};
  p.sector = {"Power", "Industry"};
  p.values = {1.0, 2.0, std::nan(""), 4.0, 5.0, 6.0};
  return p;
}

TEST(PanelFingerprint, SameContentSameFingerprint) {
  const std::string f = turnpoint::panel_fingerprint(sample());
  EXPECT_EQ(f.rfind("fnv1a64:", 0), 0u) << f;
  EXPECT_EQ(f.size(), 8u + 16u) << f;
  EXPECT_EQ(turnpoint::panel_fingerprint(sample()), f);
  turnpoint::Panel p = sample();
  p.units = "kt/day";  // not content: metadata the series' numbers do not depend on
  p.source = "elsewhere";
  EXPECT_EQ(turnpoint::panel_fingerprint(p), f);
}

TEST(PanelFingerprint, AnyValueDayOrIdChangesIt) {
  const std::string f = turnpoint::panel_fingerprint(sample());
  turnpoint::Panel p = sample();
  p.values[4] = std::nextafter(p.values[4], 10.0);  // one ulp
  EXPECT_NE(turnpoint::panel_fingerprint(p), f);
  p = sample();
  p.values[0] = std::nan("");  // a value that went missing
  EXPECT_NE(turnpoint::panel_fingerprint(p), f);
  p = sample();
  p.time[2] = 18265;
  EXPECT_NE(turnpoint::panel_fingerprint(p), f);
  p = sample();
  p.series_id[1] = "Beijing/Power";
  EXPECT_NE(turnpoint::panel_fingerprint(p), f);
  p = sample();  // the same values in another order of series
  std::swap(p.series_id[0], p.series_id[1]);
  EXPECT_NE(turnpoint::panel_fingerprint(p), f);
}

TEST(PanelFingerprint, EveryNanCountsAsOne) {
  turnpoint::Panel p = sample();
  std::uint64_t bits = 0x7ff8000000000123ull;  // a NaN with another payload
  std::memcpy(&p.values[2], &bits, sizeof bits);
  ASSERT_TRUE(std::isnan(p.values[2]));
  EXPECT_EQ(turnpoint::panel_fingerprint(p), turnpoint::panel_fingerprint(sample()));
}

}  // namespace
