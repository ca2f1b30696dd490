// Holiday tables and regressors. Lunar dates are checked against the mean lunation (an
// independent astronomical reference: a new moon at 2000-01-06 18:14 UTC and a synodic
// month of 29.530588853 days); the true new moon strays from the mean by < 0.6 days.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

#include "host/core/dates.hpp"
#include "kernels/error.hpp"
#include "host/explain/holidays.hpp"

namespace turnpoint {
namespace {

// Lunar age (days since the nearest mean new moon, in (-14.8, 14.8]) at noon Beijing time.
double lunar_age(std::int32_t day) {
  constexpr double kSynodic = 29.530588853;
  const double reference = days_from_civil(2000, 1, 6) + (18.0 + 14.0 / 60.0) / 24.0;
  const double noon_beijing_utc = day + 0.5 - 8.0 / 24.0;
  double age = std::fmod(noon_beijing_utc - reference, kSynodic);
  if (age < 0) age += kSynodic;
  if (age > kSynodic / 2) age -= kSynodic;
  return age;
}

TEST(Holidays, ChineseNewYearIsTheNewMoonBetween21JanuaryAnd20February) {
  for (int y = kFirstNewYearTable; y <= kLastNewYearTable; ++y) {
    const std::int32_t d = chinese_new_year(y);
    const CivilDate c = civil_from_days(d);
    EXPECT_EQ(c.year, y);
    const bool in_range = (c.month == 1 && c.day >= 21) || (c.month == 2 && c.day <= 20);
    EXPECT_TRUE(in_range) << y << ": " << format_date(d);
    // New moon day: the conjunction falls within that Beijing day, so the age at noon is
    // within half a day plus the mean-vs-true deviation.
    EXPECT_LT(std::fabs(lunar_age(d)), 1.2) << y << ": " << format_date(d);
  }
}

TEST(Holidays, LunarYearsAre12Or13Months) {
  for (int y = kFirstNewYearTable; y < kLastNewYearTable; ++y) {
    const int len = chinese_new_year(y + 1) - chinese_new_year(y);
    EXPECT_TRUE((len >= 353 && len <= 355) || (len >= 383 && len <= 385)) << y << ": " << len;
  }
}

TEST(Holidays, HandCheckedDates) {
  EXPECT_EQ(chinese_new_year(2020), days_from_civil(2020, 1, 25));
  EXPECT_EQ(chinese_new_year(2019), days_from_civil(2019, 2, 5));
  EXPECT_EQ(qingming(2019), days_from_civil(2019, 4, 5));
  EXPECT_EQ(qingming(2020), days_from_civil(2020, 4, 4));
  EXPECT_EQ(qingming(2008), days_from_civil(2008, 4, 4));
  EXPECT_EQ(qingming(2024), days_from_civil(2024, 4, 4));
  EXPECT_EQ(qingming(2023), days_from_civil(2023, 4, 5));
  EXPECT_EQ(dragon_boat(2020), days_from_civil(2020, 6, 25));
  EXPECT_EQ(mid_autumn(2020), days_from_civil(2020, 10, 1));
  EXPECT_EQ(dragon_boat(2007), -1);
  EXPECT_THROW(chinese_new_year(1989), invalid_input);
  EXPECT_THROW(chinese_new_year(2061), invalid_input);
}

TEST(Holidays, DragonBoatAndMidAutumnFollowTheMoon) {
  for (int y = 2008; y <= 2035; ++y) {
    // 5th and 15th day of a lunar month: 4 and 14 days after the new moon.
    EXPECT_NEAR(lunar_age(dragon_boat(y)), 4.0, 1.2) << y << ": " << format_date(dragon_boat(y));
    EXPECT_NEAR(lunar_age(mid_autumn(y)), 14.0, 1.2) << y << ": " << format_date(mid_autumn(y));
    const CivilDate d = civil_from_days(dragon_boat(y)), m = civil_from_days(mid_autumn(y));
    EXPECT_TRUE((d.month == 5 && d.day >= 28) || (d.month == 6 && d.day <= 25)) << y;
    EXPECT_TRUE((m.month == 9 && m.day >= 7) || (m.month == 10 && m.day <= 7)) << y;
  }
}

TEST(Holidays, ChinaRegressorsOnASmallAxis) {
  std::vector<std::int32_t> time;
  for (std::int32_t d = days_from_civil(2020, 1, 20); d <= days_from_civil(2020, 2, 10); ++d)
    time.push_back(d);
  const HolidayRegressors r = china_holiday_regressors(time);
  const size_t n = time.size();  // 22 days
  auto column = [&](const std::string& name) {
    for (size_t c = 0; c < r.names.size(); ++c)
      if (r.names[c] == name) return std::vector<int>(r.dummies.begin() + c * n, r.dummies.begin() + (c + 1) * n);
    return std::vector<int>{};
  };
  // CNY 2020 = 25 January (index 5). before3: 15-18 Jan (off the axis); before2:
  // 19-21 Jan -> 0..1; before1: 22-24 Jan -> 2..4; trough 25-28 Jan -> 5..8; after1 29 Jan-2 Feb -> 9..13;
  // after2 3-9 Feb -> 14..20; late 10 Feb -> 21.
  auto ones = [&](int a, int b) {
    std::vector<int> v(n, 0);
    for (int i = a; i <= b; ++i) v[i] = 1;
    return v;
  };
  EXPECT_TRUE(column("spring_festival_before3").empty());
  EXPECT_EQ(column("spring_festival_before2"), ones(0, 1));
  EXPECT_EQ(column("spring_festival_before1"), ones(2, 4));
  EXPECT_EQ(column("spring_festival"), ones(5, 8));
  EXPECT_EQ(column("spring_festival_after1"), ones(9, 13));
  EXPECT_EQ(column("spring_festival_after2"), ones(14, 20));
  EXPECT_EQ(column("spring_festival_late"), ones(21, 21));
  EXPECT_TRUE(column("national_day").empty());  // not on the axis: no column
}

TEST(Holidays, ReadsAHolidayFileAndNamesBadRows) {
  const std::string path = ::testing::TempDir() + "/holidays_test.csv";
  {
    std::ofstream f(path);
    f << "date,name\n2021-12-25,christmas\n# comment\n2022-12-25, christmas\n2022-07-04,independence\n";
  }
  const auto h = read_holiday_file(path);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[1].day, days_from_civil(2022, 12, 25));
  EXPECT_EQ(h[1].name, "christmas");
  const std::vector<std::int32_t> time{days_from_civil(2022, 7, 3), days_from_civil(2022, 7, 4),
                                       days_from_civil(2022, 12, 25)};
  const HolidayRegressors r = holiday_regressors(h, time);
  ASSERT_EQ(r.names, (std::vector<std::string>{"christmas", "independence"}));
  EXPECT_EQ(r.dummies, (std::vector<std::uint8_t>{0, 0, 1, 0, 1, 0}));
  {
    std::ofstream f(path);
    f << "date,name\n2021-12-25,christmas\n2021-13-01,bad\n";
  }
  try {
    read_holiday_file(path);
    FAIL() << "expected invalid_input";
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_holiday_file(path + ".missing"), invalid_input);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace turnpoint
