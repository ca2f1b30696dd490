// The time axis rules (host/core/time_axis.hpp): each frequency recognised from its
// calendar steps, and the first element that breaks it named with the file.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/core/calendar.hpp"
#include "host/core/dates.hpp"
#include "host/core/time_axis.hpp"
#include "kernels/error.hpp"

namespace turnpoint {
namespace {

std::vector<std::int32_t> months(int y, int m, int n, int step = 1) {
  std::vector<std::int32_t> t;
  for (int k = 0; k < n; ++k) {
    const int mm = m - 1 + k * step;
    t.push_back(days_from_civil(y + mm / 12, 1 + mm % 12, 1));
  }
  return t;
}

TEST(TimeAxis, RecognisesEachFrequency) {
  EXPECT_EQ(axis_frequency({100, 101, 102}, "f"), Frequency::daily);
  EXPECT_EQ(axis_frequency({100, 107, 114}, "f"), Frequency::weekly);
  EXPECT_EQ(axis_frequency(months(2019, 11, 30), "f"), Frequency::monthly);  // across years
  EXPECT_EQ(axis_frequency(months(2019, 1, 8, 3), "f"), Frequency::quarterly);
  EXPECT_EQ(axis_frequency(months(1990, 1, 30, 12), "f"), Frequency::annual);
  EXPECT_EQ(axis_frequency({7}, "f"), Frequency::daily);
  // A monthly axis need not sit on the 1st: the 15th of each month is monthly too.
  EXPECT_EQ(axis_frequency({days_from_civil(2020, 1, 15), days_from_civil(2020, 2, 15)}, "f"),
            Frequency::monthly);
}

TEST(TimeAxis, NamesTheElementThatBreaksIt) {
  auto message = [](const std::vector<std::int32_t>& t) {
    try {
      axis_frequency(t, "x.h5");
    } catch (const invalid_input& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  std::string e = message({100, 101, 103});
  EXPECT_NE(e.find("x.h5: /time is not a regular axis: element 1 is"), std::string::npos) << e;
  EXPECT_NE(e.find("daily axis steps one day"), std::string::npos) << e;
  std::vector<std::int32_t> m = months(2020, 1, 6);
  m[4] = m[3];  // a repeated month
  e = message(m);
  EXPECT_NE(e.find("element 3 is 2020-04-01 and element 4 is 2020-04-01"), std::string::npos) << e;
  e = message({100, 103, 106});
  EXPECT_NE(e.find("day, week, month, quarter or year"), std::string::npos) << e;
}

TEST(TimeAxis, IndexAxesAreStepNumbers) {
  EXPECT_NO_THROW(check_axis({0, 1, 2, 3}, Frequency::index, "f"));
  EXPECT_NO_THROW(check_axis({5, 6}, Frequency::index, "f"));
  try {
    check_axis({0, 1, 3}, Frequency::index, "x.h5");
    FAIL() << "a gap in an index axis must be refused";
  } catch (const invalid_input& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("element 1 is 1 and element 2 is 3 (an index axis steps one step at a time"),
              std::string::npos)
        << m;
  }
  // The stored frequency is checked, not re-inferred: a daily axis is not monthly.
  EXPECT_THROW(check_axis({100, 101}, Frequency::monthly, "f"), invalid_input);
}

TEST(TimeAxis, FrequencyNames) {
  for (Frequency f : {Frequency::daily, Frequency::weekly, Frequency::monthly, Frequency::quarterly,
                      Frequency::annual, Frequency::index})
    EXPECT_EQ(parse_frequency(to_string(f)), f);
  EXPECT_EQ(parse_frequency("D"), Frequency::daily);
  EXPECT_EQ(parse_frequency("W"), Frequency::weekly);
  EXPECT_EQ(parse_frequency("MS"), Frequency::monthly);
  EXPECT_EQ(parse_frequency("qs"), Frequency::quarterly);
  EXPECT_EQ(parse_frequency("Y"), Frequency::annual);
  EXPECT_EQ(parse_frequency("yearly"), Frequency::annual);
  EXPECT_FALSE(parse_frequency("fortnightly").has_value());
}

TEST(TimeAxis, PeriodsAndTheirFirstDays) {
  const std::int32_t d = days_from_civil(2021, 8, 17);
  EXPECT_EQ(period_start(period_of(d, Frequency::monthly), Frequency::monthly), days_from_civil(2021, 8, 1));
  EXPECT_EQ(period_start(period_of(d, Frequency::quarterly), Frequency::quarterly), days_from_civil(2021, 7, 1));
  EXPECT_EQ(period_start(period_of(d, Frequency::annual), Frequency::annual), days_from_civil(2021, 1, 1));
  EXPECT_EQ(period_start(period_of(d, Frequency::daily), Frequency::daily), d);
  // Weeks are counted from an anchor day: 2021-08-16 is the first day of d's week.
  const std::int32_t anchor = days_from_civil(2021, 8, 2);
  EXPECT_EQ(period_start(period_of(d, Frequency::weekly, anchor), Frequency::weekly, anchor),
            days_from_civil(2021, 8, 16));
  // Before 1970 and before the anchor (floor, not truncation).
  const std::int32_t old = days_from_civil(1969, 12, 31);
  EXPECT_EQ(period_start(period_of(old, Frequency::monthly), Frequency::monthly), days_from_civil(1969, 12, 1));
  EXPECT_EQ(period_start(period_of(anchor - 1, Frequency::weekly, anchor), Frequency::weekly, anchor), anchor - 7);
  // Consecutive months across a year end.
  EXPECT_EQ(period_of(days_from_civil(2021, 1, 1), Frequency::monthly) -
                period_of(days_from_civil(2020, 12, 31), Frequency::monthly),
            1);
}

TEST(TimeAxis, DatesAtTheAxisPrecision) {
  const std::int32_t d = days_from_civil(2021, 3, 4);
  EXPECT_EQ(format_time(d, Frequency::daily), "2021-03-04");
  EXPECT_EQ(format_time(d, Frequency::weekly), "2021-03-04");
  EXPECT_EQ(format_time(d, Frequency::monthly), "2021-03");
  EXPECT_EQ(format_time(d, Frequency::quarterly), "2021-Q1");
  EXPECT_EQ(format_time(days_from_civil(2021, 12, 1), Frequency::quarterly), "2021-Q4");
  EXPECT_EQ(format_time(d, Frequency::annual), "2021");
  EXPECT_EQ(format_time(17, Frequency::index), "17");
}

TEST(TimeAxis, TimeLabels) {
  auto label = [](const char* text, bool steps = false) { return parse_time_label(text, steps); };
  EXPECT_EQ(label("2021-03-04")->kind, LabelKind::day);
  EXPECT_EQ(label("2021-03-04")->value, days_from_civil(2021, 3, 4));
  EXPECT_EQ(label("04/03/2021")->value, days_from_civil(2021, 3, 4));
  EXPECT_EQ(label("2021-03-04 00:00:00")->value, days_from_civil(2021, 3, 4));
  EXPECT_EQ(label("2021-03-04T00:00:00Z")->value, days_from_civil(2021, 3, 4));
  EXPECT_FALSE(label("2021-03-04 12:00:00").has_value());  // sub-daily
  EXPECT_EQ(label("2021-03")->kind, LabelKind::month);
  EXPECT_EQ(label("2021/03")->value, days_from_civil(2021, 3, 1));
  EXPECT_FALSE(label("2021-13").has_value());
  EXPECT_EQ(label("2021-Q3")->kind, LabelKind::quarter);
  EXPECT_EQ(label("2021q3")->value, days_from_civil(2021, 7, 1));
  EXPECT_EQ(label("2021 Q4")->value, days_from_civil(2021, 10, 1));
  EXPECT_FALSE(label("2021-Q5").has_value());
  EXPECT_EQ(label("2021")->kind, LabelKind::year);
  EXPECT_EQ(label("2021")->value, days_from_civil(2021, 1, 1));
  EXPECT_EQ(label("2021", true)->kind, LabelKind::step);
  EXPECT_EQ(label("2021", true)->value, 2021);
  EXPECT_EQ(label("0")->kind, LabelKind::step);
  EXPECT_EQ(label("-3")->value, -3);
  EXPECT_EQ(label("123456")->kind, LabelKind::step);
  EXPECT_FALSE(label("").has_value());
  EXPECT_FALSE(label("March").has_value());
  EXPECT_FALSE(label("2021-3-4").has_value());
}

}  // namespace
}  // namespace turnpoint
