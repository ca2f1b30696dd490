// Day numbers and date text (host/core/dates.hpp). Expected day numbers are hand-checked against
// the POSIX epoch: 2019-01-01 is 49 years and 12 leap days after 1970-01-01.
#include <gtest/gtest.h>

#include "host/core/dates.hpp"

namespace turnpoint {
namespace {

TEST(Dates, KnownDayNumbers) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2019, 1, 1), 49 * 365 + 12);  // 17897
  EXPECT_EQ(days_from_civil(2020, 3, 1) - days_from_civil(2020, 2, 28), 2);  // leap day between
  EXPECT_EQ(days_from_civil(2019, 3, 1) - days_from_civil(2019, 2, 28), 1);
  EXPECT_EQ(days_from_civil(2023, 1, 1) - days_from_civil(2019, 1, 1), 1461);
}

TEST(Dates, CivilRoundTrip) {
  for (std::int32_t d = -800000; d <= 800000; d += 7) {
    const CivilDate c = civil_from_days(d);
    ASSERT_TRUE(is_valid_date(c.year, c.month, c.day)) << d;
    ASSERT_EQ(days_from_civil(c.year, c.month, c.day), d);
  }
}

TEST(Dates, FormatAndParse) {
  EXPECT_EQ(format_date(0), "1970-01-01");
  EXPECT_EQ(format_date(days_from_civil(2020, 2, 29)), "2020-02-29");
  EXPECT_EQ(parse_date("2020-02-29"), days_from_civil(2020, 2, 29));
  EXPECT_EQ(parse_date("2020/02/29"), days_from_civil(2020, 2, 29));
  EXPECT_EQ(parse_date("01/02/2020"), days_from_civil(2020, 2, 1));  // DD/MM/YYYY
  EXPECT_FALSE(parse_date("2019-02-29"));  // not a leap year
  EXPECT_FALSE(parse_date("2019-13-01"));
  EXPECT_FALSE(parse_date("2019-1-01"));
  EXPECT_FALSE(parse_date("2019-01-01x"));
  EXPECT_FALSE(parse_date("2019-01/01"));
  EXPECT_FALSE(parse_date("+019-01-01"));
  EXPECT_FALSE(parse_date(""));
  EXPECT_FALSE(parse_date("32/01/2020"));
}

TEST(Dates, NowLooksLikeIso8601Utc) {
  const std::string now = utc_now_iso8601();
  ASSERT_EQ(now.size(), 20u);
  EXPECT_EQ(now[10], 'T');
  EXPECT_EQ(now.back(), 'Z');
  EXPECT_TRUE(parse_date(now.substr(0, 10)).has_value());
}

}  // namespace
}  // namespace turnpoint
